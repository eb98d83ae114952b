import "server-only";
import { cache } from "react";
import { NavigationQuery } from "@/graphql/documents";
import { runShared } from "./platform";

/**
 * The category tree and who is signed in, shared by the layout and the page. For a shopper who is not signed in it
 * is the same in each language, so this server keeps it for a minute: a page view then costs the platform only the
 * page's own request.
 */
export const getNavigation = cache(() => runShared(NavigationQuery, {}, { lifetime: 60_000, sharedWithVisitors: true }));
