import { graphql } from "@/gql";

// The storefront's operations: one query per page (plus the layout's navigation), written against the live schema;
// `npm run codegen` types each of them. Fragments keep the product card's fields in one place.

export const PriceFields = graphql(`
  fragment PriceFields on Price {
    amount
    currency
    net
    gross
    taxRate
    compareAt
    priceList
    displayGross
  }
`);

export const ProductCard = graphql(`
  fragment ProductCard on Product {
    id
    slug
    sku
    name
    brand
    available
    images {
      url
      alt
    }
    price {
      ...PriceFields
    }
  }
`);

/** A member shop of the cooperative that sells a product: in the joint search and on a product page. */
export const MemberShopFields = graphql(`
  fragment MemberShopFields on MemberShop {
    shopId
    name
    city
    distanceKm
    price
    currency
    available
    url
  }
`);

export const OfferFields = graphql(`
  fragment OfferFields on Decision {
    decisionId
    placement
    personalized
    offers {
      id
      name
      headline
      text
      imageUrl
      callToAction
      url
      incentive {
        type
        value
        code
      }
      reason {
        code
        text
      }
      products {
        product {
          ...ProductCard
        }
      }
    }
  }
`);

export const RecommendationFields = graphql(`
  fragment RecommendationFields on Recommendations {
    strategy
    personalized
    items {
      reason {
        code
        text
      }
      product {
        ...ProductCard
      }
    }
  }
`);

export const NavigationQuery = graphql(`
  query Navigation {
    categories {
      id
      slug
      name
      children {
        id
        slug
        name
      }
    }
    me {
      profile {
        email
        firstName
        companyName
        kind
        customerGroup
      }
    }
  }
`);

export const HomeQuery = graphql(`
  query Home {
    offers(placement: "home-hero", first: 1) {
      ...OfferFields
    }
    recommendations(strategy: FOR_YOU, first: 8) {
      ...RecommendationFields
    }
  }
`);

export const ListingFields = graphql(`
  fragment ListingFields on SearchResult {
    totalCount
    fuzzy
    relaxed
    facets {
      brands {
        value
        label
        count
      }
      prices {
        from
        to
        count
      }
    }
    products {
      nodes {
        ...ProductCard
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

export const CategoryQuery = graphql(`
  query CategoryPage($slug: String!, $filter: ProductFilter!, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {
    category(slug: $slug) {
      id
      slug
      name
      parent {
        slug
        name
      }
      children {
        id
        slug
        name
      }
      offers(first: 1) {
        ...OfferFields
      }
    }
    search(query: "", filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
      ...ListingFields
    }
  }
`);

export const JointSearchQuery = graphql(`
  query JointSearch($query: String!, $postcode: String, $brand: String, $first: Int) {
    jointSearch(query: $query, postcode: $postcode, brand: $brand, first: $first) {
      totalCount
      brands {
        value
        count
      }
      items {
        sku
        name
        brand
        lowestPrice
        shopCount
        shops {
          ...MemberShopFields
        }
      }
    }
  }
`);

export const SearchQuery = graphql(`
  query SearchPage($query: String!, $filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String, $last: Int, $before: String) {
    search(query: $query, filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
      ...ListingFields
    }
    offers(placement: "search-results", first: 1) {
      ...OfferFields
    }
  }
`);

export const SuggestQuery = graphql(`
  query Suggest($query: String!) {
    search(query: $query, first: 6) {
      products {
        nodes {
          slug
          name
        }
      }
    }
  }
`);

export const ProductQuery = graphql(`
  query ProductPage($slug: String!, $postcode: String) {
    product(slug: $slug) {
      ...ProductCard
      description
      attributes
      categories {
        id
        slug
        name
      }
      variants {
        sku
        options
        stockQuantity
        available
        price {
          ...PriceFields
        }
      }
      boughtTogether: recommendations(strategy: BOUGHT_TOGETHER, first: 4) {
        ...RecommendationFields
      }
      viewedTogether: recommendations(strategy: VIEWED_TOGETHER, first: 4) {
        ...RecommendationFields
      }
      offers(placement: "product-detail", first: 1) {
        ...OfferFields
      }
      memberShops(postcode: $postcode) {
        ...MemberShopFields
      }
    }
  }
`);

export const MyDataQuery = graphql(`
  query MyData {
    me {
      profile {
        id
        kind
        email
        firstName
        lastName
        companyName
        customerGroup
      }
      consents {
        purpose
        granted
        policyVersion
        recordedAt
      }
    }
  }
`);

export const ExportQuery = graphql(`
  query MyExport {
    me {
      export
    }
  }
`);

export const TrackMutation = graphql(`
  mutation Track($events: [EventInput!]!) {
    trackEvents(events: $events) {
      accepted
    }
  }
`);

/** The signed-in customer's answer for one purpose: personalization (the banner) or cooperative (sharing with the cooperative). */
export const ConsentMutation = graphql(`
  mutation Consent($purpose: ConsentPurpose!, $granted: Boolean!, $policyVersion: String!) {
    setConsent(purpose: $purpose, granted: $granted, policyVersion: $policyVersion) {
      purpose
      granted
    }
  }
`);

export const IdentifyMutation = graphql(`
  mutation Identify($visitorId: String!) {
    identifyVisitor(visitorId: $visitorId)
  }
`);

export const EraseMutation = graphql(`
  mutation EraseMe {
    eraseMe {
      id
      status
    }
  }
`);
