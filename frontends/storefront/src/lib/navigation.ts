import "server-only";
import { cache } from "react";
import { NavigationQuery } from "@/graphql/documents";
import { run } from "./platform";

/** The category tree and who is signed in: one request per page view, shared by the layout and the page. */
export const getNavigation = cache(() => run(NavigationQuery, {}));
