package pipedrivefake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dealbooks/internal/clock"
	"dealbooks/internal/testkit"
)

type env struct {
	t     *testing.T
	srv   *httptest.Server
	fake  *Server
	clock *clock.Manual
	data  Dataset
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	clk := clock.NewManual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	data := Generate(SeedOptions{Seed: 3, Deals: 120})
	opts.Now, opts.Dataset = clk.Now, &data
	fake := New(opts)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, fake: fake, clock: clk, data: data}
}

// call sends a request with the API token and decodes the JSON answer.
func (e *env) call(method, path, body string) (int, http.Header, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("x-api-token", DefaultAPIToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return do(e.t, req)
}

func do(t *testing.T, req *http.Request) (int, http.Header, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s %s: not JSON: %s", req.Method, req.URL.Path, b)
		}
	}
	return resp.StatusCode, resp.Header, m
}

func keys(v any) []string {
	m, _ := v.(map[string]any)
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// firstItem is the object itself, the first element of a list, or the first search item.
func firstItem(data any) any {
	switch d := data.(type) {
	case []any:
		if len(d) > 0 {
			return d[0]
		}
	case map[string]any:
		if items, ok := d["items"].([]any); ok && len(items) > 0 {
			return items[0].(map[string]any)["item"]
		}
	}
	return data
}

func TestShapesMatchSamples(t *testing.T) {
	e := newEnv(t, Options{})
	var discounted, installments int64
	for _, d := range e.data.Discounts {
		discounted = d.DealID
	}
	for _, in := range e.data.Installments {
		installments = in.DealID
	}
	_, _, created := e.call("POST", "/api/v1/notes", `{"deal_id":1,"content":"<p>x</p>","pinned_to_deal_flag":1}`)
	tests := []struct {
		path, sample string
		onlyInSample []string // documented keys the fake leaves out (optional or contact-sync-only)
		notInSample  []string // documented keys the sample leaves out
	}{
		{"/api/v2/deals?limit=1", "v2-deals-list.json", nil, nil},
		{"/api/v2/deals/1", "v2-deal-get.json", nil, nil},
		{"/api/v2/deals/1/products", "v2-deal-products-list.json", nil, nil},
		{fmt.Sprintf("/api/v2/deals/%d/discounts", discounted), "v2-deal-discounts-list.json", nil, nil},
		{fmt.Sprintf("/api/v2/deals/installments?deal_ids=%d", installments), "v2-deals-installments-list.json", nil, nil},
		{"/api/v2/deals/search?term=GmbH", "v2-deals-search.json", nil, nil},
		{"/api/v2/organizations/1", "v2-organization-get.json", []string{"org_id"}, nil},
		{"/api/v2/persons/1", "v2-person-get.json", []string{"birthday", "im", "job_title", "notes", "postal_address"}, nil},
		{"/api/v2/products/1", "v2-product-get.json", nil, nil},
		{"/api/v2/dealFields", "v2-dealfields-list.json", []string{"important_fields", "required_fields", "ui_visibility"}, nil},
		{"/api/v1/users/me", "v1-users-me.json", nil, nil},
		{"/api/v1/currencies", "v1-currencies-list.json", nil, nil},
		{"/api/v1/notes/1", "v1-note-add-response.json",
			[]string{"lead_id", "pinned_to_lead_flag", "pinned_to_project_flag", "project", "project_id"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			status, _, got := e.call("GET", tt.path, "")
			if status != http.StatusOK {
				t.Fatalf("status %d: %v", status, got)
			}
			want := testkit.Decode[map[string]any](t, tt.sample)
			if got["success"] != true {
				t.Fatalf("success = %v", got["success"])
			}
			gotKeys := keys(firstItem(got["data"]))
			wantKeys := slices.DeleteFunc(keys(firstItem(want["data"])), func(k string) bool {
				return slices.Contains(tt.onlyInSample, k)
			})
			if !slices.Equal(gotKeys, wantKeys) {
				t.Errorf("keys\n got %v\nwant %v", gotKeys, wantKeys)
			}
			if _, paged := want["additional_data"]; paged {
				if _, ok := got["additional_data"].(map[string]any); !ok {
					t.Errorf("list without additional_data: %v", got["additional_data"])
				}
			}
		})
	}
	testkit.Eq(t, "created note pinned", created["data"].(map[string]any)["pinned_to_deal_flag"], any(true))
}

func TestErrorBodiesMatchSamples(t *testing.T) {
	e := newEnv(t, Options{})
	status, _, got := e.call("GET", "/api/v2/deals/99999", "")
	testkit.Eq(t, "status", status, http.StatusNotFound)
	want := testkit.Decode[map[string]any](t, "v2-error-404-entity-not-found.json")
	testkit.Eq(t, "404 body", fmt.Sprint(got), fmt.Sprint(want))

	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/users/me", nil)
	req.Header.Set("x-api-token", "nope")
	status, _, got = do(t, req)
	testkit.Eq(t, "status", status, http.StatusUnauthorized)
	testkit.Eq(t, "401 body", fmt.Sprint(got), fmt.Sprint(testkit.Decode[map[string]any](t, "v1-users-me-401.json")))
}

func TestListValidationAndFilters(t *testing.T) {
	e := newEnv(t, Options{})
	for _, path := range []string{"/api/v2/deals?status=closed", "/api/v2/deals?limit=501", "/api/v2/deals?limit=0",
		"/api/v2/deals?cursor=%21%21", "/api/v2/deals?sort_by=title", "/api/v2/deals?updated_since=yesterday",
		"/api/v2/deals/search?term=a", "/api/v2/deals/abc"} {
		status, _, body := e.call("GET", path, "")
		if status != http.StatusBadRequest || body["success"] != false {
			t.Errorf("%s: status %d body %v", path, status, body)
		}
	}

	e.fake.UpdateDeal(5, func(d *Deal) { d.Status, d.IsDeleted = "deleted", true })
	_, _, all := e.call("GET", "/api/v2/deals?limit=500", "")
	testkit.Eq(t, "not deleted", len(all["data"].([]any)), 119)
	_, _, deleted := e.call("GET", "/api/v2/deals?status=deleted", "")
	testkit.Eq(t, "deleted", len(deleted["data"].([]any)), 1)

	var priority Field
	for _, f := range e.data.DealFields {
		if f.FieldName == FieldPriority {
			priority = f
		}
	}
	e.fake.UpdateDeal(7, func(d *Deal) { d.CustomFields[priority.FieldCode] = priority.Options[1].ID })
	_, _, d := e.call("GET", "/api/v2/deals/7?include_option_labels=true&custom_fields="+priority.FieldCode, "")
	cf := d["data"].(map[string]any)["custom_fields"].(map[string]any)
	testkit.Eq(t, "selected fields", len(cf), 1)
	testkit.Eq(t, "label", cf[priority.FieldCode].(map[string]any)["label"], any("Medium"))
}

func TestBurstLimitAndHeaders(t *testing.T) {
	e := newEnv(t, Options{BurstLimit: 3})
	for i := range 3 {
		status, h, _ := e.call("GET", "/api/v1/users/me", "")
		testkit.Eq(t, "status", status, http.StatusOK)
		testkit.Eq(t, "remaining", h.Get("x-ratelimit-remaining"), fmt.Sprint(2-i))
		testkit.Eq(t, "limit", h.Get("x-ratelimit-limit"), "3")
	}
	status, h, body := e.call("GET", "/api/v1/users/me", "")
	testkit.Eq(t, "status", status, http.StatusTooManyRequests)
	testkit.Eq(t, "reset", h.Get("x-ratelimit-reset"), "2")
	testkit.Eq(t, "error", body["error"], any("Request over limit"))
	e.clock.Advance(2 * time.Second)
	status, _, _ = e.call("GET", "/api/v1/users/me", "")
	testkit.Eq(t, "after the window", status, http.StatusOK)
	testkit.Eq(t, "rejected", e.fake.Rejected(), 1)
	testkit.Eq(t, "count", e.fake.Count("GET /api/v1/users/me"), 5)
	log := e.fake.Requests()
	testkit.Eq(t, "logged", len(log), 5)
	testkit.Eq(t, "logged status", log[3].Status, http.StatusTooManyRequests)
	testkit.Eq(t, "logged pattern", log[0].Pattern, "GET /api/v1/users/me")
}

func TestSearchBurstIsTenPerTwoSeconds(t *testing.T) {
	e := newEnv(t, Options{})
	for range 10 {
		if status, _, _ := e.call("GET", "/api/v2/deals/search?term=GmbH&limit=1", ""); status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
	}
	status, _, _ := e.call("GET", "/api/v2/deals/search?term=GmbH&limit=1", "")
	testkit.Eq(t, "11th search", status, http.StatusTooManyRequests)
	status, _, _ = e.call("GET", "/api/v2/deals?limit=1", "")
	testkit.Eq(t, "list meanwhile", status, http.StatusOK)
}

func TestInjectedFaults(t *testing.T) {
	e := newEnv(t, Options{})
	e.fake.InjectFault(Fault{Path: "/api/v2/deals", Status: 503, Times: 2})
	for _, want := range []int{503, 503, 200} {
		status, _, _ := e.call("GET", "/api/v2/deals/1", "")
		testkit.Eq(t, "deals", status, want)
	}
	e.fake.InjectFault(Fault{Status: 429, RetryAfter: 1500 * time.Millisecond})
	status, h, _ := e.call("GET", "/api/v1/users/me", "")
	testkit.Eq(t, "429", status, http.StatusTooManyRequests)
	testkit.Eq(t, "retry-after", h.Get("Retry-After"), "2")
}

func TestLoadReplacesTheCompany(t *testing.T) {
	e := newEnv(t, Options{})
	e.call("POST", "/api/v1/notes", `{"deal_id":1,"content":"<p>x</p>"}`)
	small := Generate(SeedOptions{Seed: 9, Deals: 5})
	e.fake.Load(small)
	_, _, body := e.call("GET", "/api/v2/deals", "")
	testkit.Eq(t, "deals", len(body["data"].([]any)), 5)
	testkit.Eq(t, "notes", len(e.fake.Notes()), 0)
	_, _, me := e.call("GET", "/api/v1/users/me", "")
	testkit.Eq(t, "company", me["data"].(map[string]any)["company_name"], any(small.Me.CompanyName))
}

func TestSearchFindsCustomFieldsAndNotes(t *testing.T) {
	e := newEnv(t, Options{})
	po := FieldCode(e.data.DealFields, FieldPurchaseOrder)
	e.fake.UpdateDeal(9, func(d *Deal) { d.CustomFields[po] = "PO-UNIQUE-4711" })
	e.call("POST", "/api/v1/notes", `{"deal_id":12,"content":"Customer asked for PO-UNIQUE-4711 too"}`)
	_, _, all := e.call("GET", "/api/v2/deals/search?term=po-unique-4711", "")
	items := all["data"].(map[string]any)["items"].([]any)
	testkit.Eq(t, "hits", len(items), 2)
	first := items[0].(map[string]any)["item"].(map[string]any)
	testkit.Eq(t, "custom field hit ranks first", first["id"], any(float64(9)))
	testkit.Eq(t, "matched value", first["custom_fields"].([]any)[0], any("PO-UNIQUE-4711"))
	_, _, notesOnly := e.call("GET", "/api/v2/deals/search?term=PO-UNIQUE-4711&fields=notes", "")
	testkit.Eq(t, "notes only", len(notesOnly["data"].(map[string]any)["items"].([]any)), 1)
	status, _, _ := e.call("GET", "/api/v2/deals/search?term=PO&fields=body", "")
	testkit.Eq(t, "bad fields", status, http.StatusBadRequest)
}

func TestRemovedV1EndpointsAnswerJSON404(t *testing.T) {
	e := newEnv(t, Options{})
	status, _, body := e.call("GET", "/api/v1/deals", "")
	testkit.Eq(t, "status", status, http.StatusNotFound)
	testkit.Eq(t, "success", body["success"], any(false))
}

func idList(from, to int) string {
	var ids []string
	for id := from; id <= to; id++ {
		ids = append(ids, strconv.Itoa(id))
	}
	return strings.Join(ids, ",")
}

func TestContactListsFilterByIDs(t *testing.T) {
	e := newEnv(t, Options{})
	for _, c := range []struct {
		path string
		want int
	}{
		{"/api/v2/organizations?ids=1,2,3,999999", 3},
		{"/api/v2/organizations?ids=" + idList(1, 30), 30},
		{"/api/v2/organizations?limit=5", 5},
		{"/api/v2/persons?ids=2,4,999999", 2},
		{"/api/v2/persons?ids=" + idList(1, 100) + "&limit=60", 60},
	} {
		status, _, body := e.call("GET", c.path, "")
		if status != http.StatusOK {
			t.Fatalf("%s: status %d %v", c.path, status, body)
		}
		testkit.Eq(t, c.path, len(body["data"].([]any)), c.want)
	}
	_, _, orgs := e.call("GET", "/api/v2/organizations?ids=3,1", "")
	first := orgs["data"].([]any)[0].(map[string]any)
	testkit.Eq(t, "first organization", first["id"], any(float64(1)))
	testkit.Eq(t, "its name", first["name"], any(e.data.Organizations[0].Name))
}

func TestIDsFilterIsValidated(t *testing.T) {
	e := newEnv(t, Options{})
	for _, path := range []string{
		"/api/v2/organizations?ids=" + idList(1, 101),
		"/api/v2/persons?ids=" + idList(1, 101),
		"/api/v2/deals?ids=" + idList(1, 101),
		"/api/v2/persons?ids=1,x",
		"/api/v2/organizations?ids=0",
		"/api/v2/persons?owner_id=-1",
	} {
		status, _, body := e.call("GET", path, "")
		if status != http.StatusBadRequest || body["success"] != false {
			t.Errorf("%.60s: status %d body %v", path, status, body)
		}
	}
	if status, _, _ := e.call("GET", "/api/v2/deals?ids="+idList(1, 100), ""); status != http.StatusOK {
		t.Errorf("100 deal ids: status %d", status)
	}
}

func TestUsersNameEveryDealOwner(t *testing.T) {
	e := newEnv(t, Options{})
	status, _, body := e.call("GET", "/api/v1/users", "")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	names := map[float64]string{}
	for _, u := range body["data"].([]any) {
		u := u.(map[string]any)
		names[u["id"].(float64)] = u["name"].(string)
	}
	for _, d := range e.data.Deals {
		if names[float64(d.OwnerID)] == "" {
			t.Fatalf("owner %d of deal %d has no name in %v", d.OwnerID, d.ID, names)
		}
	}
	more := body["additional_data"].(map[string]any)["pagination"].(map[string]any)["more_items_in_collection"]
	testkit.Eq(t, "more items", more, any(false))
}

// TestDealsProductsOfSeveralDeals serves GET /api/v2/deals/products as the v2 spec describes it: deal_ids
// required, at most 100, sortable by deal_id, paginated, 10 tokens a page.
func TestDealsProductsOfSeveralDeals(t *testing.T) {
	e := newEnv(t, Options{})
	for _, c := range []struct {
		query  string
		status int
	}{
		{"", http.StatusBadRequest},
		{"deal_ids=1,x", http.StatusBadRequest},
		{"deal_ids=" + strings.Repeat("1,", 100) + "1", http.StatusBadRequest},
		{"deal_ids=1,2&sort_by=name", http.StatusBadRequest},
		{"deal_ids=2,1&sort_by=deal_id", http.StatusOK},
	} {
		if status, _, _ := e.call("GET", "/api/v2/deals/products?"+c.query, ""); status != c.status {
			t.Errorf("%q: status %d, want %d", c.query, status, c.status)
		}
	}
	tokens := e.fake.Tokens()
	status, _, body := e.call("GET", "/api/v2/deals/products?deal_ids=3,1,2&sort_by=deal_id&limit=2", "")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	testkit.Eq(t, "tokens", e.fake.Tokens()-tokens, 10)
	data, _ := body["data"].([]any)
	next, _ := body["additional_data"].(map[string]any)["next_cursor"].(string)
	var want []int64
	for _, l := range e.data.DealProducts {
		if l.DealID <= 3 {
			want = append(want, l.DealID)
		}
	}
	if len(want) <= 2 {
		t.Fatalf("seed: deals 1 to 3 have %d lines", len(want))
	}
	testkit.Eq(t, "lines on the page", len(data), 2)
	testkit.Eq[any](t, "first deal", data[0].(map[string]any)["deal_id"], float64(want[0]))
	testkit.Eq(t, "more", next != "", true)
}
