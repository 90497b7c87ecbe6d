package pipedrive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dealbooks/internal/clock"
	"dealbooks/internal/testkit"

	"golang.org/x/oauth2"

	"dealbooks/integrations/pipedrive/pipedrivefake"
)

type harness struct {
	fake  *pipedrivefake.Server
	data  pipedrivefake.Dataset
	url   string
	clock *clock.Manual
	c     *Client
}

// newHarness starts a fake with a generated company and a client on an API token, sharing one clock.
func newHarness(t testing.TB, deals int) *harness {
	t.Helper()
	clk := newTestClock()
	data := pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 7, Deals: deals})
	fake := pipedrivefake.New(pipedrivefake.Options{Now: clk.Now, Dataset: &data})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := New(Config{APIToken: pipedrivefake.DefaultAPIToken, BaseURL: srv.URL, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{fake: fake, data: data, url: srv.URL, clock: clk, c: c}
}

func TestNewNeedsExactlyOneCredential(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Error("no credential accepted")
	}
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})
	if _, err := New(Config{APIToken: "a", TokenSource: ts}); err == nil {
		t.Error("two credentials accepted")
	}
}

func TestAllDealsPagesThrough1200(t *testing.T) {
	h := newHarness(t, 1200)
	ctx := context.Background()
	deals, err := h.c.AllDeals(ctx, DealsQuery{Limit: MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, d := range deals {
		seen[d.ID] = true
	}
	testkit.Eq(t, "deals", len(deals), 1200)
	testkit.Eq(t, "distinct", len(seen), 1200)
	testkit.Eq(t, "requests", h.fake.Count("GET /api/v2/deals"), 3)

	// The same walk one page at a time with the default page size.
	var pages, total int
	q := DealsQuery{}
	for {
		page, err := h.c.ListDeals(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		total += len(page.Items)
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	testkit.Eq(t, "pages of 100", pages, 12)
	testkit.Eq(t, "total", total, 1200)
}

func TestListDealsFilters(t *testing.T) {
	h := newHarness(t, 300)
	ctx := context.Background()
	owner := h.data.Users[1].ID
	want := 0
	for _, d := range h.data.Deals {
		if d.Status == StatusWon && d.OwnerID == owner {
			want++
		}
	}
	deals, err := h.c.AllDeals(ctx, DealsQuery{Statuses: []string{StatusWon}, OwnerID: owner, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "won deals of owner", len(deals), want)
	for _, d := range deals {
		if d.Status != StatusWon || d.OwnerID != owner {
			t.Fatalf("deal %d: status %s owner %d", d.ID, d.Status, d.OwnerID)
		}
	}

	h.clock.Sleep(ctx, time.Hour)
	since := h.clock.Now()
	h.fake.UpdateDeal(42, func(d *pipedrivefake.Deal) { d.Title = "Renamed" })
	recent, err := h.c.AllDeals(ctx, DealsQuery{UpdatedSince: since})
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 1 || recent[0].ID != 42 || recent[0].Title != "Renamed" {
		t.Fatalf("updated since: got %+v", recent)
	}

	page, err := h.c.ListDeals(ctx, DealsQuery{SortBy: "update_time", Descending: true, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "most recently updated", page.Items[0].ID, 42)

	if _, err := h.c.ListDeals(ctx, DealsQuery{Limit: 501}); err == nil {
		t.Error("limit 501 accepted")
	}
}

func TestSearchDealsIsPaced(t *testing.T) {
	h := newHarness(t, 300)
	ctx := context.Background()
	target := h.data.Deals[10]
	page, err := h.c.SearchDeals(ctx, DealSearchQuery{Term: target.Title, ExactMatch: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) == 0 || page.Items[0].ID != target.ID {
		t.Fatalf("exact search for %q: %+v", target.Title, page.Items)
	}
	eqDec(t, "value", page.Items[0].Value, target.Value.String())

	for range 11 {
		if _, err := h.c.SearchDeals(ctx, DealSearchQuery{Term: "support", Limit: 5}); err != nil {
			t.Fatal(err)
		}
	}
	testkit.Eq(t, "fake rejected", h.fake.Rejected(), 0)
	var waited time.Duration
	for _, d := range h.clock.Slept() {
		waited += d
	}
	if waited < 2*time.Second {
		t.Errorf("12 searches waited %v, want at least 2s", waited)
	}

	if _, err := h.c.SearchDeals(ctx, DealSearchQuery{Term: "a"}); err == nil {
		t.Error("one-letter search accepted")
	}
	testkit.Eq(t, "search requests", h.fake.Count("GET /api/v2/deals/search"), 12)
}

func TestSearchPagesWithCursor(t *testing.T) {
	h := newHarness(t, 300)
	ctx := context.Background()
	q := DealSearchQuery{Term: "GmbH", Status: StatusOpen, Limit: 10}
	ids := map[int64]bool{}
	for {
		page, err := h.c.SearchDeals(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			if r.Status != StatusOpen || !strings.Contains(r.Title, "GmbH") {
				t.Fatalf("hit %+v does not match", r)
			}
			ids[r.ID] = true
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	want := 0
	for _, d := range h.data.Deals {
		if d.Status == StatusOpen && strings.Contains(d.Title, "GmbH") {
			want++
		}
	}
	testkit.Eq(t, "hits", len(ids), want)
}

// pickDeal finds a generated deal with an organization, a person whose primary e-mail is not the first,
// a percentage and an amount line discount or a deal discount.
func pickDeal(t *testing.T, data pipedrivefake.Dataset) (pipedrivefake.Deal, pipedrivefake.Person) {
	t.Helper()
	persons := map[int64]pipedrivefake.Person{}
	for _, p := range data.Persons {
		persons[p.ID] = p
	}
	discounted := map[int64]bool{}
	for _, d := range data.Discounts {
		discounted[d.DealID] = true
	}
	for _, d := range data.Deals {
		if d.OrgID == nil || d.PersonID == nil || !discounted[d.ID] {
			continue
		}
		p := persons[*d.PersonID]
		if len(p.Emails) > 1 && !p.Emails[0].Primary {
			return d, p
		}
	}
	t.Fatal("seed has no suitable deal")
	return pipedrivefake.Deal{}, pipedrivefake.Person{}
}

func TestDealWithOrgPersonProductsAndDiscounts(t *testing.T) {
	h := newHarness(t, 300)
	ctx := context.Background()
	want, wantPerson := pickDeal(t, h.data)

	deal, err := h.c.Deal(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "title", deal.Title, want.Title)
	eqDec(t, "value", deal.Value, want.Value.String())
	testkit.Eq(t, "currency", deal.Currency, want.Currency)

	org, err := h.c.Organization(ctx, deal.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	var wantOrg pipedrivefake.Organization
	for _, o := range h.data.Organizations {
		if o.ID == deal.OrgID {
			wantOrg = o
		}
	}
	testkit.Eq(t, "org", org.Name, wantOrg.Name)
	if wantOrg.Address != nil && *wantOrg.Address.Value != org.Address.Value {
		t.Errorf("address %q, want %q", org.Address.Value, *wantOrg.Address.Value)
	}
	orgFields, err := h.c.OrganizationFields(ctx)
	if err != nil {
		t.Fatal(err)
	}
	taxCode := pipedrivefake.FieldCode(h.data.OrganizationFields, pipedrivefake.FieldTaxID)
	tax, ok, err := NewFields(orgFields).Resolve(org.CustomFields, taxCode)
	if wantTax, has := wantOrg.CustomFields[taxCode]; has {
		testkit.Eq(t, "tax id", tax.Text, wantTax.(string))
		testkit.Eq(t, "tax id found", ok, true)
	}
	testkit.Eq(t, "tax err", err, nil)

	person, err := h.c.Person(ctx, deal.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	var primary string
	for _, e := range wantPerson.Emails {
		if e.Primary {
			primary = e.Value
		}
	}
	testkit.Eq(t, "primary email", person.PrimaryEmail(), primary)
	if person.PrimaryEmail() == person.Emails[0].Value {
		t.Error("primary e-mail should not be the first in this case")
	}

	lines, err := h.c.DealProducts(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	var wantLines []pipedrivefake.DealProduct
	for _, l := range h.data.DealProducts {
		if l.DealID == deal.ID {
			wantLines = append(wantLines, l)
		}
	}
	testkit.Eq(t, "lines", len(lines), len(wantLines))
	for i, l := range lines {
		testkit.Eq(t, "order", l.OrderNr, i+1)
		eqDec(t, "sum", l.Sum, wantLines[i].Sum.String())
		eqDec(t, "price", l.ItemPrice, wantLines[i].ItemPrice.String())
		testkit.Eq(t, "discount type", l.DiscountType, wantLines[i].DiscountType)
	}

	discounts, err := h.c.DealDiscounts(ctx, deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(discounts) != 1 || (discounts[0].Type != DiscountPercentage && discounts[0].Type != DiscountAmount) {
		t.Fatalf("discounts: %+v", discounts)
	}

	product, err := h.c.Product(ctx, lines[0].ProductID)
	if err != nil {
		t.Fatal(err)
	}
	if product.Code == "" || len(product.Prices) != 4 {
		t.Errorf("product %+v", product)
	}
}

func TestCustomFieldsOfEveryType(t *testing.T) {
	h := newHarness(t, 50)
	ctx := context.Background()
	code := func(name string) string { return pipedrivefake.FieldCode(h.data.DealFields, name) }
	var priority, services pipedrivefake.Field
	for _, f := range h.data.DealFields {
		switch f.FieldName {
		case pipedrivefake.FieldPriority:
			priority = f
		case pipedrivefake.FieldServices:
			services = f
		}
	}
	org := h.data.Organizations[3]
	person := h.data.Persons[5]
	h.fake.UpdateDeal(1, func(d *pipedrivefake.Deal) {
		d.CustomFields = map[string]any{
			code(pipedrivefake.FieldPurchaseOrder):  "PO-77",
			code(pipedrivefake.FieldContractMonths): pipedrivefake.N("6.5"),
			code(pipedrivefake.FieldSetupFee):       map[string]any{"value": pipedrivefake.N("1200.50"), "currency": "EUR"},
			code(pipedrivefake.FieldPriority):       priority.Options[2].ID,
			code(pipedrivefake.FieldServices):       []int64{services.Options[0].ID, services.Options[3].ID},
			code(pipedrivefake.FieldDeliveryAddress): &pipedrivefake.Address{
				Value: ptrTo("Kungsportsavenyen 3, Göteborg"), Locality: ptrTo("Göteborg")},
			code(pipedrivefake.FieldBillingContact): person.ID,
			code(pipedrivefake.FieldReseller):       org.ID,
			code(pipedrivefake.FieldRenewalDate):    "2027-03-31",
		}
	})
	deal, err := h.c.Deal(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	defs, err := h.c.DealFields(ctx)
	if err != nil {
		t.Fatal(err)
	}
	values, err := NewFields(defs).ResolveAll(deal.CustomFields)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.c.NameReferences(ctx, values); err != nil {
		t.Fatal(err)
	}
	got := map[string]FieldValue{}
	for _, v := range values {
		got[v.Field.Name] = v
	}
	tests := []struct {
		name string
		kind ValueKind
		text string
	}{
		{pipedrivefake.FieldPurchaseOrder, KindText, "PO-77"},
		{pipedrivefake.FieldContractMonths, KindNumber, "6.5"},
		{pipedrivefake.FieldSetupFee, KindMonetary, "1200.5 EUR"},
		{pipedrivefake.FieldPriority, KindOption, "High"},
		{pipedrivefake.FieldServices, KindOptions, "Consulting, Hosting"},
		{pipedrivefake.FieldDeliveryAddress, KindAddress, "Kungsportsavenyen 3, Göteborg"},
		{pipedrivefake.FieldBillingContact, KindPerson, person.Name},
		{pipedrivefake.FieldReseller, KindOrganization, org.Name},
		{pipedrivefake.FieldRenewalDate, KindDate, "2027-03-31"},
	}
	for _, tt := range tests {
		v, ok := got[tt.name]
		if !ok {
			t.Errorf("%s: missing", tt.name)
			continue
		}
		testkit.Eq(t, tt.name+" kind", v.Kind, tt.kind)
		testkit.Eq(t, tt.name+" text", v.Text, tt.text)
	}
	eqDec(t, "setup fee", got[pipedrivefake.FieldSetupFee].Number, "1200.50")
	testkit.Eq(t, "address city", got[pipedrivefake.FieldDeliveryAddress].Address.Locality, "Göteborg")
	testkit.Eq(t, "reseller id", got[pipedrivefake.FieldReseller].RefID, org.ID)
	testkit.Eq(t, "only set values", len(values), len(tests))
}

func ptrTo[T any](v T) *T { return &v }

func TestRateLimitHonoured(t *testing.T) {
	tests := []struct {
		name       string
		fault      pipedrivefake.Fault
		wantSleeps []time.Duration
		wantErr    error
	}{
		{"Retry-After", pipedrivefake.Fault{Status: 429, RetryAfter: 3 * time.Second, Times: 2},
			[]time.Duration{3 * time.Second, 3 * time.Second}, nil},
		{"x-ratelimit-reset", pipedrivefake.Fault{Status: 429},
			[]time.Duration{2 * time.Second}, nil},
		{"storm beyond retries", pipedrivefake.Fault{Status: 429, RetryAfter: time.Second, Times: 10},
			[]time.Duration{time.Second, time.Second, time.Second}, ErrRateLimited},
		{"daily budget spent", pipedrivefake.Fault{Status: 429, RetryAfter: 5 * time.Hour},
			nil, ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, 20)
			tt.fault.Path = "/api/v1/users/me"
			h.fake.InjectFault(tt.fault)
			me, err := h.c.Me(context.Background())
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil {
				testkit.Eq(t, "company", me.CompanyID, h.data.Me.CompanyID)
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) && apiErr.RetryAfter <= 0 {
				t.Errorf("RetryAfter = %v", apiErr.RetryAfter)
			}
			got := h.clock.Slept()
			testkit.Eq(t, "sleeps", len(got), len(tt.wantSleeps))
			for i := range min(len(got), len(tt.wantSleeps)) {
				testkit.Eq(t, "sleep", got[i], tt.wantSleeps[i])
			}
		})
	}
}

func TestErrorsAreTypedAndForbiddenIsNotRetried(t *testing.T) {
	h := newHarness(t, 20)
	ctx := context.Background()
	_, err := h.c.Deal(ctx, 999999)
	var apiErr *APIError
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Message != "Entity was not found" {
		t.Fatalf("missing deal: %v", err)
	}

	for _, tt := range []struct {
		status int
		want   error
	}{{403, ErrForbidden}, {402, ErrPaymentRequired}, {410, ErrGone}, {503, ErrServer}} {
		before := h.fake.Count("GET /api/v2/organizations/{id}")
		h.fake.InjectFault(pipedrivefake.Fault{Status: tt.status, Path: "/api/v2/organizations/"})
		_, err := h.c.Organization(ctx, 1)
		if !errors.Is(err, tt.want) {
			t.Errorf("%d: err = %v", tt.status, err)
		}
		testkit.Eq(t, "requests", h.fake.Count("GET /api/v2/organizations/{id}")-before, 1)
	}

	bad, _ := New(Config{APIToken: "wrong-token", BaseURL: h.url, Clock: h.clock})
	_, err = bad.Me(ctx)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("wrong token: %v", err)
	}
	if strings.Contains(err.Error(), "wrong-token") {
		t.Errorf("error leaks the token: %v", err)
	}
}

func TestCreateAndUpdateNote(t *testing.T) {
	h := newHarness(t, 20)
	ctx := context.Background()
	n, err := h.c.CreateNote(ctx, 3, "<p>QuickBooks invoice <b>#1042</b> created</p>", true)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "deal", n.DealID, 3)
	testkit.Eq(t, "pinned", n.PinnedToDeal, true)
	testkit.Eq(t, "added", n.AddTime.Equal(h.clock.Now()), true)
	updated, err := h.c.UpdateNote(ctx, n.ID, "<p>Invoice #1042 paid</p>")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "content", updated.Content, "<p>Invoice #1042 paid</p>")
	notes := h.fake.Notes()
	testkit.Eq(t, "notes", len(notes), 1)
	testkit.Eq(t, "stored content", notes[0].Content, "<p>Invoice #1042 paid</p>")

	if _, err := h.c.CreateNote(ctx, 999999, "x", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("note on missing deal: %v", err)
	}
}

// DealNotes finds the notes of one deal only, across pages, at the documented 20 tokens a page.
func TestDealNotesListsOneDealsNotes(t *testing.T) {
	h := newHarness(t, 20)
	ctx := context.Background()
	var want []int64
	for i := range MaxPageSize + 1 {
		n, err := h.c.CreateNote(ctx, 3, fmt.Sprintf("<p>note %d</p>", i), false)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, n.ID)
	}
	if _, err := h.c.CreateNote(ctx, 2, "<p>another deal</p>", false); err != nil {
		t.Fatal(err)
	}
	before := h.fake.Tokens()
	notes, err := h.c.DealNotes(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, n := range notes {
		testkit.Eq(t, "deal", n.DealID, 3)
		got = append(got, n.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("note ids = %v, want %v", got, want)
	}
	testkit.Eq(t, "tokens for two pages", h.fake.Tokens()-before, 40)
	if _, err := h.c.DealNotes(ctx, 0); err == nil {
		t.Error("a list without a deal was sent")
	}
}

// A response lost after the note was stored surfaces as a transport error; the note exists.
func TestNoteCommittedButResponseDropped(t *testing.T) {
	h := newHarness(t, 20)
	h.fake.InjectFault(pipedrivefake.Fault{Method: http.MethodPost, Path: "/api/v1/notes", Drop: true})
	_, err := h.c.CreateNote(context.Background(), 2, "<p>hello</p>", false)
	var apiErr *APIError
	if err == nil || errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want a transport error", err)
	}
	testkit.Eq(t, "stored", len(h.fake.Notes()), 1)
}

func TestMeAndCurrencies(t *testing.T) {
	h := newHarness(t, 20)
	ctx := context.Background()
	me, err := h.c.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "company", me.CompanyName, h.data.Me.CompanyName)
	testkit.Eq(t, "domain", me.CompanyDomain, h.data.Me.CompanyDomain)
	testkit.Eq(t, "currency", me.DefaultCurrency, h.data.Me.DefaultCurrency)
	cs, err := h.c.Currencies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	custom := 0
	for _, c := range cs {
		if c.IsCustom {
			custom++
		}
	}
	testkit.Eq(t, "custom currencies", custom, 1)
}

// refresher is a token source with ForceRefresh, like the oauth package's persisting source.
type refresher struct {
	mu     sync.Mutex
	cfg    *oauth2.Config
	tok    *oauth2.Token
	forced int
}

func (r *refresher) Token() (*oauth2.Token, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tok, nil
}

func (r *refresher) ForceRefresh(ctx context.Context) (*oauth2.Token, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.forced++
	old := *r.tok
	old.Expiry = time.Unix(1, 0)
	tok, err := r.cfg.TokenSource(ctx, &old).Token()
	if err != nil {
		return nil, err
	}
	r.tok = tok
	return tok, nil
}

func TestOAuthBearerUsesAPIDomainAndRefreshesOn401(t *testing.T) {
	clk := newTestClock()
	fake := pipedrivefake.New(pipedrivefake.Options{Now: clk.Now, AutoApprove: true})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg := &oauth2.Config{
		ClientID: pipedrivefake.DefaultClientID, ClientSecret: pipedrivefake.DefaultClientSecret,
		RedirectURL: "http://127.0.0.1:1/callback",
		Endpoint: oauth2.Endpoint{AuthURL: srv.URL + "/oauth/authorize", TokenURL: srv.URL + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInHeader},
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(cfg.AuthCodeURL("st4te"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	testkit.Eq(t, "state", loc.Query().Get("state"), "st4te")
	ctx := context.Background()
	tok, err := cfg.Exchange(ctx, loc.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "api_domain", tok.Extra("api_domain"), any(srv.URL))

	ts := &refresher{cfg: cfg, tok: tok}
	c, err := New(Config{TokenSource: ts, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	fake.ExpireAccessTokens()
	me, err := c.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "forced refreshes", ts.forced, 1)
	testkit.Eq(t, "me", me.ID != 0, true)
}

func TestContactsByIDsBatchByHundred(t *testing.T) {
	h := newHarness(t, 600) // 200 organizations, more persons
	ctx := context.Background()
	var orgIDs, personIDs []int64
	for _, o := range h.data.Organizations[:150] {
		orgIDs = append(orgIDs, o.ID)
	}
	orgIDs = append(orgIDs, 999999) // no such organization: left out
	for _, p := range h.data.Persons[:40] {
		personIDs = append(personIDs, p.ID)
	}

	orgs, err := h.c.OrganizationsByIDs(ctx, orgIDs)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "organizations", len(orgs), 150)
	testkit.Eq(t, "a name", orgs[149].Name, h.data.Organizations[149].Name)
	testkit.Eq(t, "organization requests", h.fake.Count("GET /api/v2/organizations"), 2)

	persons, err := h.c.PersonsByIDs(ctx, personIDs)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "persons", len(persons), 40)
	testkit.Eq(t, "a name", persons[0].Name, h.data.Persons[0].Name)
	testkit.Eq(t, "person requests", h.fake.Count("GET /api/v2/persons"), 1)

	none, err := h.c.PersonsByIDs(ctx, nil)
	if err != nil || len(none) != 0 {
		t.Errorf("no ids: %v, %v", none, err)
	}
	testkit.Eq(t, "requests for no ids", h.fake.Count("GET /api/v2/persons"), 1)
}

func TestUsers(t *testing.T) {
	h := newHarness(t, 20)
	users, err := h.c.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "users", len(users), len(h.data.Users))
	for i, u := range users {
		testkit.Eq(t, "id", u.ID, h.data.Users[i].ID)
		testkit.Eq(t, "name", u.Name, h.data.Users[i].Name)
		testkit.Eq(t, "active", u.Active, true)
	}
}

func TestUsersFollowsV1Pagination(t *testing.T) {
	var starts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		starts = append(starts, r.URL.Query().Get("start"))
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("start") == "" {
			_, _ = w.Write([]byte(`{"success":true,"data":[{"id":1,"name":"Ann"}],` +
				`"additional_data":{"pagination":{"start":0,"limit":1,"more_items_in_collection":true,"next_start":1}}}`))
			return
		}
		_, _ = w.Write([]byte(`{"success":true,"data":[{"id":2,"name":"Bo"}],` +
			`"additional_data":{"pagination":{"start":1,"limit":1,"more_items_in_collection":false}}}`))
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{APIToken: "t", BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	users, err := c.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "users", len(users), 2)
	testkit.Eq(t, "second", users[1].Name, "Bo")
	testkit.Eq(t, "starts", strings.Join(starts, ","), ",1")
}

// newTestClock is the time both the client and the fake read; the client's waits move it forward.
func newTestClock() *clock.Manual {
	return clock.NewManual(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
}

// TestDealsProductsPageReadsManyDealsInOneRequest: GET /api/v2/deals/products?deal_ids=… (v2 spec,
// operationId getDealsProducts) answers the lines of up to 100 deals, ordered by deal, each line the
// same as the deal's own list gives, for the 10 tokens of one request; more than 100 deals is refused
// before asking.
func TestDealsProductsPageReadsManyDealsInOneRequest(t *testing.T) {
	h := newHarness(t, 300)
	ctx := context.Background()
	var ids []int64
	want := map[int64][]pipedrivefake.DealProduct{}
	for _, d := range h.data.Deals[:100] {
		ids = append(ids, d.ID)
	}
	for _, l := range h.data.DealProducts {
		if l.DealID <= 100 {
			want[l.DealID] = append(want[l.DealID], l)
		}
	}
	slices.Reverse(ids) // the order asked in does not matter: lines come by deal
	tokens := h.fake.Tokens()
	page, err := h.c.DealsProductsPage(ctx, ids, "")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "tokens", h.fake.Tokens()-tokens, 10)
	testkit.Eq(t, "next cursor", page.NextCursor, "") // 100 deals of one to four lines fit one page of 500
	got := map[int64][]DealProduct{}
	for i, l := range page.Items {
		if i > 0 && l.DealID < page.Items[i-1].DealID {
			t.Fatalf("line %d: deal %d after deal %d", i, l.DealID, page.Items[i-1].DealID)
		}
		got[l.DealID] = append(got[l.DealID], l)
	}
	testkit.Eq(t, "deals with lines", len(got), len(want))
	for id, ls := range want {
		testkit.Eq(t, fmt.Sprintf("deal %d lines", id), len(got[id]), len(ls))
		for i, l := range ls {
			g := got[id][i]
			testkit.Eq(t, "line id", g.ID, l.ID)
			testkit.Eq(t, "product", g.ProductID, l.ProductID)
			eqDec(t, "sum", g.Sum, l.Sum.String())
		}
	}

	if _, err := h.c.DealsProductsPage(ctx, append(ids, 101), ""); err == nil {
		t.Error("101 deals asked for in one request")
	}
	testkit.Eq(t, "requests", h.fake.Count("GET /api/v2/deals/products"), 1)
}

// TestDealsProductsPageFollowsTheCursor: a cursor from one page reads the next (the fake's pages are 500
// lines, so 100 deals of a 1,200-deal company are asked twice with a small limit by hand).
func TestDealsProductsPageFollowsTheCursor(t *testing.T) {
	var queries []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.Query())
		next := `"c2"`
		if r.URL.Query().Get("cursor") == "c2" {
			next = "null"
		}
		fmt.Fprintf(w, `{"success":true,"data":[{"id":1,"deal_id":7,"sum":90}],"additional_data":{"next_cursor":%s}}`, next)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{APIToken: "t", BaseURL: srv.URL, Clock: newTestClock()})
	if err != nil {
		t.Fatal(err)
	}
	first, err := c.DealsProductsPage(context.Background(), []int64{7, 8}, "")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "next", first.NextCursor, "c2")
	second, err := c.DealsProductsPage(context.Background(), []int64{7, 8}, first.NextCursor)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "last", second.NextCursor, "")
	testkit.Eq(t, "deal_ids", queries[0].Get("deal_ids"), "7,8")
	testkit.Eq(t, "sort_by", queries[0].Get("sort_by"), "deal_id")
	testkit.Eq(t, "limit", queries[0].Get("limit"), "500")
	testkit.Eq(t, "cursor", queries[1].Get("cursor"), "c2")
}

// TestProductsByIDs reads catalogue products by id, 100 a request (10 tokens), leaving out unknown ids.
func TestProductsByIDs(t *testing.T) {
	h := newHarness(t, 20)
	var ids []int64
	for _, p := range h.data.Products {
		ids = append(ids, p.ID)
	}
	tokens := h.fake.Tokens()
	got, err := h.c.ProductsByIDs(context.Background(), append(ids, 999999))
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "tokens", h.fake.Tokens()-tokens, 10)
	testkit.Eq(t, "products", len(got), len(h.data.Products))
	for i, p := range got {
		testkit.Eq(t, "code", p.Code, h.data.Products[i].Code)
	}
}
