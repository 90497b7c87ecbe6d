package pipedrivefake

import (
	"fmt"
	"net/http"
	"testing"

	"dealbooks/internal/testkit"
)

// TestTokensFollowTheDocumentedCosts spends tokens as the rate-limiting guide's example of one invoice
// does: deal 1 + products 10 + discounts 10 + organization 1 + person 1 + note 10 = 33 tokens. Refused
// requests (429, 401) cost nothing.
func TestTokensFollowTheDocumentedCosts(t *testing.T) {
	e := newEnv(t, Options{})
	var d Deal
	for _, deal := range e.data.Deals {
		if deal.OrgID != nil && deal.PersonID != nil {
			d = deal
			break
		}
	}
	for _, path := range []string{
		fmt.Sprintf("/api/v2/deals/%d", d.ID),
		fmt.Sprintf("/api/v2/deals/%d/products", d.ID),
		fmt.Sprintf("/api/v2/deals/%d/discounts", d.ID),
		fmt.Sprintf("/api/v2/organizations/%d", *d.OrgID),
		fmt.Sprintf("/api/v2/persons/%d", *d.PersonID),
	} {
		if status, _, _ := e.call("GET", path, ""); status != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, status)
		}
	}
	if status, _, _ := e.call("POST", "/api/v1/notes", fmt.Sprintf(`{"deal_id":%d,"content":"<p>Invoice 1001</p>"}`, d.ID)); status != http.StatusCreated && status != http.StatusOK {
		t.Fatalf("POST note: status %d", status)
	}
	testkit.Eq(t, "tokens for one invoice", e.fake.Tokens(), 33)

	e.fake.InjectFault(Fault{Status: http.StatusTooManyRequests})
	if status, _, _ := e.call("GET", "/api/v2/dealFields", ""); status != http.StatusTooManyRequests {
		t.Fatalf("fault not injected: status %d", status)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v2/dealFields", nil) // no token
	if status, _, _ := do(t, req); status != http.StatusUnauthorized {
		t.Fatalf("unauthenticated request: status %d", status)
	}
	testkit.Eq(t, "tokens after a 429 and a 401", e.fake.Tokens(), 33)
	if status, _, _ := e.call("GET", "/api/v2/dealFields", ""); status != http.StatusOK {
		t.Fatalf("GET dealFields: status %d", status)
	}
	testkit.Eq(t, "tokens after the deal fields", e.fake.Tokens(), 43)
}
