/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment PriceFields on Price {\n    amount\n    currency\n    net\n    gross\n    taxRate\n    compareAt\n    priceList\n    displayGross\n  }\n": typeof types.PriceFieldsFragmentDoc,
    "\n  fragment ProductCard on Product {\n    id\n    slug\n    sku\n    name\n    brand\n    available\n    images {\n      url\n      alt\n    }\n    price {\n      ...PriceFields\n    }\n  }\n": typeof types.ProductCardFragmentDoc,
    "\n  fragment MemberShopFields on MemberShop {\n    shopId\n    name\n    city\n    distanceKm\n    price\n    currency\n    available\n    url\n  }\n": typeof types.MemberShopFieldsFragmentDoc,
    "\n  fragment OfferFields on Decision {\n    decisionId\n    placement\n    personalized\n    offers {\n      id\n      name\n      headline\n      text\n      imageUrl\n      callToAction\n      url\n      incentive {\n        type\n        value\n        code\n      }\n      reason {\n        code\n        text\n      }\n      products {\n        product {\n          ...ProductCard\n        }\n      }\n    }\n  }\n": typeof types.OfferFieldsFragmentDoc,
    "\n  fragment RecommendationFields on Recommendations {\n    strategy\n    personalized\n    items {\n      reason {\n        code\n        text\n      }\n      product {\n        ...ProductCard\n      }\n    }\n  }\n": typeof types.RecommendationFieldsFragmentDoc,
    "\n  query Navigation {\n    categories {\n      id\n      slug\n      name\n      children {\n        id\n        slug\n        name\n      }\n    }\n    me {\n      profile {\n        email\n        firstName\n        companyName\n        kind\n        customerGroup\n      }\n    }\n  }\n": typeof types.NavigationDocument,
    "\n  query Home {\n    offers(placement: \"home-hero\", first: 1) {\n      ...OfferFields\n    }\n    recommendations(strategy: FOR_YOU, first: 8) {\n      ...RecommendationFields\n    }\n  }\n": typeof types.HomeDocument,
    "\n  fragment ListingFields on SearchResult {\n    totalCount\n    fuzzy\n    relaxed\n    facets {\n      brands {\n        value\n        label\n        count\n      }\n      prices {\n        from\n        to\n        count\n      }\n    }\n    products {\n      nodes {\n        ...ProductCard\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.ListingFieldsFragmentDoc,
    "\n  query CategoryPage($slug: String!, $filter: ProductFilter!, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {\n    category(slug: $slug) {\n      id\n      slug\n      name\n      parent {\n        slug\n        name\n      }\n      children {\n        id\n        slug\n        name\n      }\n      offers(first: 1) {\n        ...OfferFields\n      }\n    }\n    search(query: \"\", filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {\n      ...ListingFields\n    }\n  }\n": typeof types.CategoryPageDocument,
    "\n  query JointSearch($query: String!, $postcode: String, $brand: String, $first: Int) {\n    jointSearch(query: $query, postcode: $postcode, brand: $brand, first: $first) {\n      totalCount\n      brands {\n        value\n        count\n      }\n      items {\n        sku\n        name\n        brand\n        lowestPrice\n        shopCount\n        shops {\n          ...MemberShopFields\n        }\n      }\n    }\n  }\n": typeof types.JointSearchDocument,
    "\n  query SearchPage($query: String!, $filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {\n    search(query: $query, filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {\n      ...ListingFields\n    }\n    offers(placement: \"search-results\", first: 1) {\n      ...OfferFields\n    }\n  }\n": typeof types.SearchPageDocument,
    "\n  query Suggest($query: String!) {\n    search(query: $query, first: 6) {\n      products {\n        nodes {\n          slug\n          name\n        }\n      }\n    }\n  }\n": typeof types.SuggestDocument,
    "\n  query ProductPage($slug: String!, $postcode: String) {\n    product(slug: $slug) {\n      ...ProductCard\n      description\n      attributes\n      categories {\n        id\n        slug\n        name\n      }\n      variants {\n        sku\n        options\n        stockQuantity\n        available\n        price {\n          ...PriceFields\n        }\n      }\n      boughtTogether: recommendations(strategy: BOUGHT_TOGETHER, first: 4) {\n        ...RecommendationFields\n      }\n      viewedTogether: recommendations(strategy: VIEWED_TOGETHER, first: 4) {\n        ...RecommendationFields\n      }\n      offers(placement: \"product-detail\", first: 1) {\n        ...OfferFields\n      }\n      memberShops(postcode: $postcode) {\n        ...MemberShopFields\n      }\n    }\n  }\n": typeof types.ProductPageDocument,
    "\n  query MyData {\n    me {\n      profile {\n        id\n        kind\n        email\n        firstName\n        lastName\n        companyName\n        customerGroup\n      }\n      consents {\n        purpose\n        granted\n        policyVersion\n        recordedAt\n      }\n    }\n  }\n": typeof types.MyDataDocument,
    "\n  query MyExport {\n    me {\n      export\n    }\n  }\n": typeof types.MyExportDocument,
    "\n  mutation Track($events: [EventInput!]!) {\n    trackEvents(events: $events) {\n      accepted\n    }\n  }\n": typeof types.TrackDocument,
    "\n  mutation Consent($purpose: ConsentPurpose!, $granted: Boolean!, $policyVersion: String!) {\n    setConsent(purpose: $purpose, granted: $granted, policyVersion: $policyVersion) {\n      purpose\n      granted\n    }\n  }\n": typeof types.ConsentDocument,
    "\n  mutation Identify($visitorId: String!) {\n    identifyVisitor(visitorId: $visitorId)\n  }\n": typeof types.IdentifyDocument,
    "\n  mutation EraseMe {\n    eraseMe {\n      id\n      status\n    }\n  }\n": typeof types.EraseMeDocument,
};
const documents: Documents = {
    "\n  fragment PriceFields on Price {\n    amount\n    currency\n    net\n    gross\n    taxRate\n    compareAt\n    priceList\n    displayGross\n  }\n": types.PriceFieldsFragmentDoc,
    "\n  fragment ProductCard on Product {\n    id\n    slug\n    sku\n    name\n    brand\n    available\n    images {\n      url\n      alt\n    }\n    price {\n      ...PriceFields\n    }\n  }\n": types.ProductCardFragmentDoc,
    "\n  fragment MemberShopFields on MemberShop {\n    shopId\n    name\n    city\n    distanceKm\n    price\n    currency\n    available\n    url\n  }\n": types.MemberShopFieldsFragmentDoc,
    "\n  fragment OfferFields on Decision {\n    decisionId\n    placement\n    personalized\n    offers {\n      id\n      name\n      headline\n      text\n      imageUrl\n      callToAction\n      url\n      incentive {\n        type\n        value\n        code\n      }\n      reason {\n        code\n        text\n      }\n      products {\n        product {\n          ...ProductCard\n        }\n      }\n    }\n  }\n": types.OfferFieldsFragmentDoc,
    "\n  fragment RecommendationFields on Recommendations {\n    strategy\n    personalized\n    items {\n      reason {\n        code\n        text\n      }\n      product {\n        ...ProductCard\n      }\n    }\n  }\n": types.RecommendationFieldsFragmentDoc,
    "\n  query Navigation {\n    categories {\n      id\n      slug\n      name\n      children {\n        id\n        slug\n        name\n      }\n    }\n    me {\n      profile {\n        email\n        firstName\n        companyName\n        kind\n        customerGroup\n      }\n    }\n  }\n": types.NavigationDocument,
    "\n  query Home {\n    offers(placement: \"home-hero\", first: 1) {\n      ...OfferFields\n    }\n    recommendations(strategy: FOR_YOU, first: 8) {\n      ...RecommendationFields\n    }\n  }\n": types.HomeDocument,
    "\n  fragment ListingFields on SearchResult {\n    totalCount\n    fuzzy\n    relaxed\n    facets {\n      brands {\n        value\n        label\n        count\n      }\n      prices {\n        from\n        to\n        count\n      }\n    }\n    products {\n      nodes {\n        ...ProductCard\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.ListingFieldsFragmentDoc,
    "\n  query CategoryPage($slug: String!, $filter: ProductFilter!, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {\n    category(slug: $slug) {\n      id\n      slug\n      name\n      parent {\n        slug\n        name\n      }\n      children {\n        id\n        slug\n        name\n      }\n      offers(first: 1) {\n        ...OfferFields\n      }\n    }\n    search(query: \"\", filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {\n      ...ListingFields\n    }\n  }\n": types.CategoryPageDocument,
    "\n  query JointSearch($query: String!, $postcode: String, $brand: String, $first: Int) {\n    jointSearch(query: $query, postcode: $postcode, brand: $brand, first: $first) {\n      totalCount\n      brands {\n        value\n        count\n      }\n      items {\n        sku\n        name\n        brand\n        lowestPrice\n        shopCount\n        shops {\n          ...MemberShopFields\n        }\n      }\n    }\n  }\n": types.JointSearchDocument,
    "\n  query SearchPage($query: String!, $filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {\n    search(query: $query, filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {\n      ...ListingFields\n    }\n    offers(placement: \"search-results\", first: 1) {\n      ...OfferFields\n    }\n  }\n": types.SearchPageDocument,
    "\n  query Suggest($query: String!) {\n    search(query: $query, first: 6) {\n      products {\n        nodes {\n          slug\n          name\n        }\n      }\n    }\n  }\n": types.SuggestDocument,
    "\n  query ProductPage($slug: String!, $postcode: String) {\n    product(slug: $slug) {\n      ...ProductCard\n      description\n      attributes\n      categories {\n        id\n        slug\n        name\n      }\n      variants {\n        sku\n        options\n        stockQuantity\n        available\n        price {\n          ...PriceFields\n        }\n      }\n      boughtTogether: recommendations(strategy: BOUGHT_TOGETHER, first: 4) {\n        ...RecommendationFields\n      }\n      viewedTogether: recommendations(strategy: VIEWED_TOGETHER, first: 4) {\n        ...RecommendationFields\n      }\n      offers(placement: \"product-detail\", first: 1) {\n        ...OfferFields\n      }\n      memberShops(postcode: $postcode) {\n        ...MemberShopFields\n      }\n    }\n  }\n": types.ProductPageDocument,
    "\n  query MyData {\n    me {\n      profile {\n        id\n        kind\n        email\n        firstName\n        lastName\n        companyName\n        customerGroup\n      }\n      consents {\n        purpose\n        granted\n        policyVersion\n        recordedAt\n      }\n    }\n  }\n": types.MyDataDocument,
    "\n  query MyExport {\n    me {\n      export\n    }\n  }\n": types.MyExportDocument,
    "\n  mutation Track($events: [EventInput!]!) {\n    trackEvents(events: $events) {\n      accepted\n    }\n  }\n": types.TrackDocument,
    "\n  mutation Consent($purpose: ConsentPurpose!, $granted: Boolean!, $policyVersion: String!) {\n    setConsent(purpose: $purpose, granted: $granted, policyVersion: $policyVersion) {\n      purpose\n      granted\n    }\n  }\n": types.ConsentDocument,
    "\n  mutation Identify($visitorId: String!) {\n    identifyVisitor(visitorId: $visitorId)\n  }\n": types.IdentifyDocument,
    "\n  mutation EraseMe {\n    eraseMe {\n      id\n      status\n    }\n  }\n": types.EraseMeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PriceFields on Price {\n    amount\n    currency\n    net\n    gross\n    taxRate\n    compareAt\n    priceList\n    displayGross\n  }\n"): (typeof documents)["\n  fragment PriceFields on Price {\n    amount\n    currency\n    net\n    gross\n    taxRate\n    compareAt\n    priceList\n    displayGross\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductCard on Product {\n    id\n    slug\n    sku\n    name\n    brand\n    available\n    images {\n      url\n      alt\n    }\n    price {\n      ...PriceFields\n    }\n  }\n"): (typeof documents)["\n  fragment ProductCard on Product {\n    id\n    slug\n    sku\n    name\n    brand\n    available\n    images {\n      url\n      alt\n    }\n    price {\n      ...PriceFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MemberShopFields on MemberShop {\n    shopId\n    name\n    city\n    distanceKm\n    price\n    currency\n    available\n    url\n  }\n"): (typeof documents)["\n  fragment MemberShopFields on MemberShop {\n    shopId\n    name\n    city\n    distanceKm\n    price\n    currency\n    available\n    url\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OfferFields on Decision {\n    decisionId\n    placement\n    personalized\n    offers {\n      id\n      name\n      headline\n      text\n      imageUrl\n      callToAction\n      url\n      incentive {\n        type\n        value\n        code\n      }\n      reason {\n        code\n        text\n      }\n      products {\n        product {\n          ...ProductCard\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment OfferFields on Decision {\n    decisionId\n    placement\n    personalized\n    offers {\n      id\n      name\n      headline\n      text\n      imageUrl\n      callToAction\n      url\n      incentive {\n        type\n        value\n        code\n      }\n      reason {\n        code\n        text\n      }\n      products {\n        product {\n          ...ProductCard\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RecommendationFields on Recommendations {\n    strategy\n    personalized\n    items {\n      reason {\n        code\n        text\n      }\n      product {\n        ...ProductCard\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment RecommendationFields on Recommendations {\n    strategy\n    personalized\n    items {\n      reason {\n        code\n        text\n      }\n      product {\n        ...ProductCard\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Navigation {\n    categories {\n      id\n      slug\n      name\n      children {\n        id\n        slug\n        name\n      }\n    }\n    me {\n      profile {\n        email\n        firstName\n        companyName\n        kind\n        customerGroup\n      }\n    }\n  }\n"): (typeof documents)["\n  query Navigation {\n    categories {\n      id\n      slug\n      name\n      children {\n        id\n        slug\n        name\n      }\n    }\n    me {\n      profile {\n        email\n        firstName\n        companyName\n        kind\n        customerGroup\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Home {\n    offers(placement: \"home-hero\", first: 1) {\n      ...OfferFields\n    }\n    recommendations(strategy: FOR_YOU, first: 8) {\n      ...RecommendationFields\n    }\n  }\n"): (typeof documents)["\n  query Home {\n    offers(placement: \"home-hero\", first: 1) {\n      ...OfferFields\n    }\n    recommendations(strategy: FOR_YOU, first: 8) {\n      ...RecommendationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ListingFields on SearchResult {\n    totalCount\n    fuzzy\n    relaxed\n    facets {\n      brands {\n        value\n        label\n        count\n      }\n      prices {\n        from\n        to\n        count\n      }\n    }\n    products {\n      nodes {\n        ...ProductCard\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ListingFields on SearchResult {\n    totalCount\n    fuzzy\n    relaxed\n    facets {\n      brands {\n        value\n        label\n        count\n      }\n      prices {\n        from\n        to\n        count\n      }\n    }\n    products {\n      nodes {\n        ...ProductCard\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CategoryPage($slug: String!, $filter: ProductFilter!, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {\n    category(slug: $slug) {\n      id\n      slug\n      name\n      parent {\n        slug\n        name\n      }\n      children {\n        id\n        slug\n        name\n      }\n      offers(first: 1) {\n        ...OfferFields\n      }\n    }\n    search(query: \"\", filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {\n      ...ListingFields\n    }\n  }\n"): (typeof documents)["\n  query CategoryPage($slug: String!, $filter: ProductFilter!, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {\n    category(slug: $slug) {\n      id\n      slug\n      name\n      parent {\n        slug\n        name\n      }\n      children {\n        id\n        slug\n        name\n      }\n      offers(first: 1) {\n        ...OfferFields\n      }\n    }\n    search(query: \"\", filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {\n      ...ListingFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JointSearch($query: String!, $postcode: String, $brand: String, $first: Int) {\n    jointSearch(query: $query, postcode: $postcode, brand: $brand, first: $first) {\n      totalCount\n      brands {\n        value\n        count\n      }\n      items {\n        sku\n        name\n        brand\n        lowestPrice\n        shopCount\n        shops {\n          ...MemberShopFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query JointSearch($query: String!, $postcode: String, $brand: String, $first: Int) {\n    jointSearch(query: $query, postcode: $postcode, brand: $brand, first: $first) {\n      totalCount\n      brands {\n        value\n        count\n      }\n      items {\n        sku\n        name\n        brand\n        lowestPrice\n        shopCount\n        shops {\n          ...MemberShopFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchPage($query: String!, $filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {\n    search(query: $query, filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {\n      ...ListingFields\n    }\n    offers(placement: \"search-results\", first: 1) {\n      ...OfferFields\n    }\n  }\n"): (typeof documents)["\n  query SearchPage($query: String!, $filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {\n    search(query: $query, filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {\n      ...ListingFields\n    }\n    offers(placement: \"search-results\", first: 1) {\n      ...OfferFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Suggest($query: String!) {\n    search(query: $query, first: 6) {\n      products {\n        nodes {\n          slug\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Suggest($query: String!) {\n    search(query: $query, first: 6) {\n      products {\n        nodes {\n          slug\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProductPage($slug: String!, $postcode: String) {\n    product(slug: $slug) {\n      ...ProductCard\n      description\n      attributes\n      categories {\n        id\n        slug\n        name\n      }\n      variants {\n        sku\n        options\n        stockQuantity\n        available\n        price {\n          ...PriceFields\n        }\n      }\n      boughtTogether: recommendations(strategy: BOUGHT_TOGETHER, first: 4) {\n        ...RecommendationFields\n      }\n      viewedTogether: recommendations(strategy: VIEWED_TOGETHER, first: 4) {\n        ...RecommendationFields\n      }\n      offers(placement: \"product-detail\", first: 1) {\n        ...OfferFields\n      }\n      memberShops(postcode: $postcode) {\n        ...MemberShopFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query ProductPage($slug: String!, $postcode: String) {\n    product(slug: $slug) {\n      ...ProductCard\n      description\n      attributes\n      categories {\n        id\n        slug\n        name\n      }\n      variants {\n        sku\n        options\n        stockQuantity\n        available\n        price {\n          ...PriceFields\n        }\n      }\n      boughtTogether: recommendations(strategy: BOUGHT_TOGETHER, first: 4) {\n        ...RecommendationFields\n      }\n      viewedTogether: recommendations(strategy: VIEWED_TOGETHER, first: 4) {\n        ...RecommendationFields\n      }\n      offers(placement: \"product-detail\", first: 1) {\n        ...OfferFields\n      }\n      memberShops(postcode: $postcode) {\n        ...MemberShopFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyData {\n    me {\n      profile {\n        id\n        kind\n        email\n        firstName\n        lastName\n        companyName\n        customerGroup\n      }\n      consents {\n        purpose\n        granted\n        policyVersion\n        recordedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyData {\n    me {\n      profile {\n        id\n        kind\n        email\n        firstName\n        lastName\n        companyName\n        customerGroup\n      }\n      consents {\n        purpose\n        granted\n        policyVersion\n        recordedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyExport {\n    me {\n      export\n    }\n  }\n"): (typeof documents)["\n  query MyExport {\n    me {\n      export\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Track($events: [EventInput!]!) {\n    trackEvents(events: $events) {\n      accepted\n    }\n  }\n"): (typeof documents)["\n  mutation Track($events: [EventInput!]!) {\n    trackEvents(events: $events) {\n      accepted\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Consent($purpose: ConsentPurpose!, $granted: Boolean!, $policyVersion: String!) {\n    setConsent(purpose: $purpose, granted: $granted, policyVersion: $policyVersion) {\n      purpose\n      granted\n    }\n  }\n"): (typeof documents)["\n  mutation Consent($purpose: ConsentPurpose!, $granted: Boolean!, $policyVersion: String!) {\n    setConsent(purpose: $purpose, granted: $granted, policyVersion: $policyVersion) {\n      purpose\n      granted\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Identify($visitorId: String!) {\n    identifyVisitor(visitorId: $visitorId)\n  }\n"): (typeof documents)["\n  mutation Identify($visitorId: String!) {\n    identifyVisitor(visitorId: $visitorId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EraseMe {\n    eraseMe {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation EraseMe {\n    eraseMe {\n      id\n      status\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;