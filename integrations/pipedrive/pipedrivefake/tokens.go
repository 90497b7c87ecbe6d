package pipedrivefake

import "net/http"

// tokenCosts are the daily-budget tokens each route costs: the x-token-cost of the operation in
// Pipedrive's v1 and v2 OpenAPI specifications. Routes not listed (OAuth) cost nothing.
var tokenCosts = map[string]int{
	"GET /api/v1/users":                20,
	"GET /api/v1/users/me":             2,
	"GET /api/v1/currencies":           20,
	"GET /api/v1/notes":                20,
	"POST /api/v1/notes":               10,
	"PUT /api/v1/notes/{id}":           10,
	"GET /api/v1/notes/{id}":           2,
	"GET /api/v2/deals":                10,
	"GET /api/v2/deals/search":         20,
	"GET /api/v2/deals/installments":   10,
	"GET /api/v2/deals/{id}":           1,
	"GET /api/v2/deals/{id}/products":  10,
	"GET /api/v2/deals/{id}/discounts": 10,
	"GET /api/v2/deals/products":       10,
	"GET /api/v2/organizations":        10,
	"GET /api/v2/organizations/{id}":   1,
	"GET /api/v2/persons":              10,
	"GET /api/v2/persons/{id}":         1,
	"GET /api/v2/products":             10,
	"GET /api/v2/products/{id}":        1,
	"GET /api/v2/dealFields":           10,
	"GET /api/v2/organizationFields":   10,
	"GET /api/v2/personFields":         10,
	// Not in pipedrive.md's table: field creation is taken at the v1-style write cost (UNVERIFIED).
	"POST /api/v2/dealFields":          10,
	"POST /api/v2/organizationFields":  10,
	"PATCH /api/v2/deals/{id}":         5,
	"PATCH /api/v2/organizations/{id}": 5,
}

// TokenCost is what one request to the route pattern (e.g. "GET /api/v2/deals") costs of the daily
// budget.
func TokenCost(pattern string) int { return tokenCosts[pattern] }

// charged reports whether a request answered with status spends tokens: every answer except a refusal
// to authenticate (401) or to admit it under the rate limit (429).
func charged(status int) bool {
	return status != http.StatusUnauthorized && status != http.StatusTooManyRequests
}

// Tokens is how many tokens of the daily budget the requests served so far have spent.
func (s *Server) Tokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens
}
