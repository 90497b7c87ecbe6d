package adapters

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"dealbooks/app/invoicing"
	"dealbooks/app/invoicing/invoicingtest"
	"dealbooks/integrations/pipedrive/pipedrivefake"
)

// seeded finds things in the generated company, to compare with.
type seeded struct{ pipedrivefake.Dataset }

func (s seeded) org(id int64) pipedrivefake.Organization {
	for _, o := range s.Organizations {
		if o.ID == id {
			return o
		}
	}
	panic("no organization")
}

func (s seeded) person(id int64) pipedrivefake.Person {
	for _, p := range s.Persons {
		if p.ID == id {
			return p
		}
	}
	panic("no person")
}

func (s seeded) lines(dealID int64) []pipedrivefake.DealProduct {
	var out []pipedrivefake.DealProduct
	for _, l := range s.DealProducts {
		if l.DealID == dealID {
			out = append(out, l)
		}
	}
	return out
}

func (s seeded) discounts(dealID int64) []pipedrivefake.Discount {
	var out []pipedrivefake.Discount
	for _, d := range s.Discounts {
		if d.DealID == dealID {
			out = append(out, d)
		}
	}
	return out
}

// findDeal returns the first deal that ok accepts.
func (s seeded) findDeal(t testing.TB, ok func(pipedrivefake.Deal) bool) pipedrivefake.Deal {
	t.Helper()
	for _, d := range s.Deals {
		if ok(d) {
			return d
		}
	}
	t.Fatal("the seeded company has no such deal")
	return pipedrivefake.Deal{}
}

// richDeal is a deal with an organization that has a tax ID and a full
// address, a person, a line discount and a deal-level discount.
func (s seeded) richDeal(t testing.TB) pipedrivefake.Deal {
	taxID := pipedrivefake.FieldCode(s.OrganizationFields, pipedrivefake.FieldTaxID)
	return s.findDeal(t, func(d pipedrivefake.Deal) bool {
		if d.OrgID == nil || d.PersonID == nil || len(s.discounts(d.ID)) == 0 {
			return false
		}
		o := s.org(*d.OrgID)
		lineDiscount := slices.ContainsFunc(s.lines(d.ID), func(l pipedrivefake.DealProduct) bool { return !l.Discount.IsZero() })
		return o.CustomFields[taxID] != nil && o.Address != nil && o.Address.FormattedAddress != nil && lineDiscount
	})
}

func TestDealBundleFromSeededCompany(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	s := seeded{e.data}
	want := s.richDeal(t)
	org, person := s.org(*want.OrgID), s.person(*want.PersonID)
	taxID := pipedrivefake.FieldCode(s.OrganizationFields, pipedrivefake.FieldTaxID)

	b, err := e.crm.DealBundle(context.Background(), want.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := b.Deal
	if d.ID != want.ID || d.Title != want.Title || d.Currency != want.Currency || !d.Value.Equal(want.Value.Decimal) ||
		d.Status != invoicing.DealStatus(want.Status) || d.OrgName != org.Name || d.PersonName != person.Name {
		t.Errorf("deal = %+v, want %d %q %s %s named %q / %q", d, want.ID, want.Title, want.Value, want.Currency, org.Name, person.Name)
	}
	if b.DealFields[invoicing.FieldTitle] != want.Title {
		t.Errorf("deal title field = %q", b.DealFields[invoicing.FieldTitle])
	}
	if b.Organization == nil || b.Person == nil {
		t.Fatalf("organization %v, person %v: want both", b.Organization, b.Person)
	}
	of := b.Organization.Fields
	if of[invoicing.FieldName] != org.Name || of[invoicing.FieldAddress] != *org.Address.FormattedAddress || of[taxID] != org.CustomFields[taxID] {
		t.Errorf("organization fields = %q; want name %q, address %q, tax ID %v", of, org.Name, *org.Address.FormattedAddress, org.CustomFields[taxID])
	}
	if got := b.Person.Fields[invoicing.FieldName]; got != person.Name {
		t.Errorf("person name = %q, want %q", got, person.Name)
	}

	lines := s.lines(want.ID)
	if len(b.Products) != len(lines) {
		t.Fatalf("%d products, want %d", len(b.Products), len(lines))
	}
	for i, l := range lines {
		p := b.Products[i]
		wantType := invoicing.DiscountPercentage
		if l.DiscountType == "amount" {
			wantType = invoicing.DiscountAmount
		}
		if p.ProductID != l.ProductID || p.Name != l.Name || !p.Quantity.Equal(l.Quantity.Decimal) ||
			!p.ItemPrice.Equal(l.ItemPrice.Decimal) || p.Discount.Type != wantType || !p.Discount.Value.Equal(l.Discount.Decimal) ||
			!p.TaxRate.Equal(l.Tax.Decimal) || p.TaxMethod != invoicing.TaxMethod(l.TaxMethod) || !p.Sum.Equal(l.Sum.Decimal) ||
			p.BillingFrequency != l.BillingFrequency || p.Enabled != l.IsEnabled || p.Comments != l.Comments {
			t.Errorf("product %d = %+v, want %+v", i, p, l)
		}
		if p.ItemPrice.String() != l.ItemPrice.String() {
			t.Errorf("product %d price %s, want exactly %s", i, p.ItemPrice, l.ItemPrice)
		}
	}
	discounts := s.discounts(want.ID)
	if len(b.Discounts) != len(discounts) {
		t.Fatalf("%d discounts, want %d", len(b.Discounts), len(discounts))
	}
	for i, dd := range discounts {
		got := b.Discounts[i]
		if got.Description != dd.Description || !got.Value.Equal(dd.Amount.Decimal) ||
			(got.Type == invoicing.DiscountAmount) != (dd.Type == "amount") {
			t.Errorf("discount %d = %+v, want %+v", i, got, dd)
		}
	}
}

// Two sequential round trips: the deal (with the field definitions the
// first time) and its products, then organization, person, discounts and,
// the first time, the catalogue products for their codes.
func TestDealBundleRequests(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	deal := seeded{e.data}.richDeal(t)
	products := map[int64]bool{}
	for _, l := range (seeded{e.data}).lines(deal.ID) {
		products[l.ProductID] = true
	}
	ctx := context.Background()
	for _, want := range []int{8 + len(products), 5} {
		before := e.requests()
		if _, err := e.crm.DealBundle(ctx, deal.ID); err != nil {
			t.Fatal(err)
		}
		if got := e.requests() - before; got != want {
			t.Errorf("DealBundle took %d requests, want %d", got, want)
		}
	}
}

func TestDealBundleCustomFieldsAsText(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	s := seeded{e.data}
	code := func(name string) string { return pipedrivefake.FieldCode(s.DealFields, name) }
	priority, services, fee := code(pipedrivefake.FieldPriority), code(pipedrivefake.FieldServices), code(pipedrivefake.FieldSetupFee)
	deal := s.findDeal(t, func(d pipedrivefake.Deal) bool {
		return d.CustomFields[priority] != nil && d.CustomFields[services] != nil && d.CustomFields[fee] != nil
	})
	b, err := e.crm.DealBundle(context.Background(), deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	label := func(field string, id int64) string {
		for _, f := range s.DealFields {
			for _, o := range f.Options {
				if f.FieldName == field && o.ID == id {
					return o.Label
				}
			}
		}
		return ""
	}
	if got, want := b.DealFields[priority], label(pipedrivefake.FieldPriority, deal.CustomFields[priority].(int64)); got != want {
		t.Errorf("priority = %q, want the label %q", got, want)
	}
	var labels []string
	for _, id := range deal.CustomFields[services].([]int64) {
		labels = append(labels, label(pipedrivefake.FieldServices, id))
	}
	if got, want := b.DealFields[services], strings.Join(labels, ", "); got != want {
		t.Errorf("services = %q, want %q", got, want)
	}
	m := deal.CustomFields[fee].(map[string]any)
	if got, want := b.DealFields[fee], m["value"].(pipedrivefake.Num).String()+" "+m["currency"].(string); got != want {
		t.Errorf("setup fee = %q, want %q", got, want)
	}
}

func TestDealBundlePrimaryEmailFirst(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	s := seeded{e.data}
	deal := s.findDeal(t, func(d pipedrivefake.Deal) bool {
		return d.PersonID != nil && !s.person(*d.PersonID).Emails[0].Primary
	})
	b, err := e.crm.DealBundle(context.Background(), deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	primary := primaryEmail(s.person(*deal.PersonID))
	if got := b.Person.Fields[invoicing.FieldEmail]; got != primary {
		t.Errorf("email = %q, want the primary %q", got, primary)
	}
}

func TestDealBundleWithoutOrganization(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	deal := seeded{e.data}.findDeal(t, func(d pipedrivefake.Deal) bool { return d.OrgID == nil && d.PersonID != nil })
	b, err := e.crm.DealBundle(context.Background(), deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Organization != nil || b.Person == nil || b.Deal.OrgID != 0 {
		t.Errorf("organization %v, person %v: want only a person", b.Organization, b.Person)
	}
}

// A deal whose organization was deleted still gives a bundle, without it.
func TestDealBundleOrganizationGone(t *testing.T) {
	data := pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1})
	deal := seeded{data}.richDeal(t)
	data.Organizations = slices.DeleteFunc(data.Organizations, func(o pipedrivefake.Organization) bool { return o.ID == *deal.OrgID })
	e := newPipedriveEnvWith(t, data, 0)
	b, err := e.crm.DealBundle(context.Background(), deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Organization != nil || b.Person == nil || b.Deal.OrgID != *deal.OrgID || len(b.Products) == 0 {
		t.Errorf("bundle = %+v, want the deal, person and products without the organization", b)
	}
}

func TestDealBundleMissingDeal(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	_, err := e.crm.DealBundle(context.Background(), 999999)
	if !errors.Is(err, invoicing.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestListDealsPagesWithNames(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	s := seeded{e.data}
	ctx := context.Background()
	f := invoicing.DealFilter{Statuses: []invoicing.DealStatus{invoicing.DealOpen, invoicing.DealWon}}
	var got []invoicing.Deal
	pages := 0
	for cursor := ""; ; {
		page, err := e.crm.ListDeals(ctx, f, cursor)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, page.Deals...)
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	var want []pipedrivefake.Deal
	for _, d := range s.Deals {
		if d.Status == "open" || d.Status == "won" {
			want = append(want, d)
		}
	}
	if len(got) != len(want) || pages != (len(want)+dealPageSize-1)/dealPageSize {
		t.Fatalf("%d deals in %d pages, want %d deals in pages of %d", len(got), pages, len(want), dealPageSize)
	}
	for i, d := range got {
		w := want[i]
		wantOrg, wantPerson := "", ""
		if w.OrgID != nil {
			wantOrg = s.org(*w.OrgID).Name
		}
		if w.PersonID != nil {
			wantPerson = s.person(*w.PersonID).Name
		}
		if d.ID != w.ID || d.OrgName != wantOrg || d.PersonName != wantPerson || !d.UpdatedAt.Equal(w.UpdateTime) {
			t.Fatalf("deal %d = %+v, want names %q / %q", i, d, wantOrg, wantPerson)
		}
	}

	// Every name is known now: listing again reads only the deals.
	before := e.requests()
	if _, err := e.crm.ListDeals(ctx, f, ""); err != nil {
		t.Fatal(err)
	}
	if n := e.requests() - before; n != 1 {
		t.Errorf("a second listing took %d requests, want 1", n)
	}
}

// TestRefreshDemoCompanyNamesEachPageInFewRequests refreshes the deal cache
// of the demo-sized company through the Service, against the fake's real
// burst limit (80 per 2 s): the deals come in pages of 500 (Pipedrive's
// largest), the names of a page's organizations and persons in requests of
// 100 ids (the most Pipedrive's ids filter takes), and nothing waits on a 429.
func TestRefreshDemoCompanyNamesEachPageInFewRequests(t *testing.T) {
	data := pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1, Deals: 300})
	fake := pipedrivefake.New(pipedrivefake.Options{Dataset: &data})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	repo := invoicingtest.NewRepository()
	svc := invoicing.NewService(invoicing.Config{CRM: NewPipedrive(newPipedriveClient(t, srv.URL), Options{}), Repository: repo})
	ctx := context.Background()

	n, err := svc.RefreshDeals(ctx)
	if err != nil || n != 300 {
		t.Fatalf("refreshed %d deals, %v; want 300", n, err)
	}
	pages := fake.Count("GET /api/v2/deals")
	nameRequests := 2 * ((300 + 99) / 100) // organizations and persons, 100 ids a request
	if total := len(fake.Requests()); pages != 1 || total > pages+nameRequests {
		t.Errorf("%d requests for %d deal pages, want 1 page and at most %d requests", total, pages, 1+nameRequests)
	}
	if r := fake.Rejected(); r != 0 {
		t.Errorf("%d requests answered 429", r)
	}
	s := seeded{data}
	cached, _ := repo.Deals(ctx, invoicing.DealQuery{})
	for _, d := range cached {
		wantOrg, wantPerson := "", ""
		if d.OrgID != 0 {
			wantOrg = s.org(d.OrgID).Name
		}
		if d.PersonID != 0 {
			wantPerson = s.person(d.PersonID).Name
		}
		if d.OrgName != wantOrg || d.PersonName != wantPerson {
			t.Fatalf("deal %d names %q / %q", d.ID, d.OrgName, d.PersonName)
		}
	}
}

func TestListDealsLeavesGoneContactsUnnamedAndAsksOnce(t *testing.T) {
	data := pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1})
	deal := seeded{data}.findDeal(t, func(d pipedrivefake.Deal) bool { return d.OrgID != nil && d.PersonID != nil })
	gone := *deal.PersonID
	for i := range data.Persons {
		if data.Persons[i].ID == gone {
			data.Persons[i].IsDeleted = true
		}
	}
	e := newPipedriveEnvWith(t, data, 0)
	ctx := context.Background()
	page, err := e.crm.ListDeals(ctx, invoicing.DealFilter{}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range page.Deals {
		if d.PersonID == gone && d.PersonName != "" {
			t.Errorf("deal with a deleted person: %+v", d)
		}
		if d.ID == deal.ID && d.OrgName == "" {
			t.Errorf("deal %d lost its organization's name", d.ID)
		}
	}
	before := e.requests()
	if _, err := e.crm.ListDeals(ctx, invoicing.DealFilter{}, ""); err != nil {
		t.Fatal(err)
	}
	if n := e.requests() - before; n != 1 {
		t.Errorf("listing again took %d requests, want 1 (the deleted person is not asked for again)", n)
	}
}

func TestListDealsWithoutPermissionToReadPersons(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	e.fake.InjectFault(pipedrivefake.Fault{Path: "/api/v2/persons", Status: http.StatusForbidden})
	page, err := e.crm.ListDeals(context.Background(), invoicing.DealFilter{}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range page.Deals {
		if d.PersonName != "" || (d.OrgID != 0 && d.OrgName == "") {
			t.Fatalf("deal = %+v, want an organization name and no person name", d)
		}
	}
}

func TestListDealsFilters(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	s := seeded{e.data}
	owner := s.Deals[0].OwnerID
	since := s.Deals[0].UpdateTime
	page, err := e.crm.ListDeals(context.Background(), invoicing.DealFilter{OwnerID: owner, UpdatedSince: since}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Deals) == 0 {
		t.Fatal("no deals")
	}
	for _, d := range page.Deals {
		if d.OwnerID != owner || d.UpdatedAt.Before(since) || d.Status == invoicing.DealDeleted {
			t.Errorf("deal %d (owner %d, updated %s, %s) does not match the filter", d.ID, d.OwnerID, d.UpdatedAt, d.Status)
		}
	}
}

func TestSearchDeals(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	s := seeded{e.data}
	deal := s.richDeal(t)
	found, err := e.crm.SearchDeals(context.Background(), deal.Title)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(found, func(d invoicing.Deal) bool { return d.ID == deal.ID })
	if i < 0 {
		t.Fatalf("search for %q found %v, not deal %d", deal.Title, found, deal.ID)
	}
	if found[i].OrgName != s.org(*deal.OrgID).Name || found[i].PersonName != s.person(*deal.PersonID).Name {
		t.Errorf("hit = %+v: want organization and person names", found[i])
	}
}

func TestFields(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	fields, err := e.crm.Fields(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	taxID := pipedrivefake.FieldCode(e.data.OrganizationFields, pipedrivefake.FieldTaxID)
	for _, want := range []invoicing.Field{
		{Entity: invoicing.EntityOrganization, Code: invoicing.FieldName, Name: "Name", Type: "varchar"},
		{Entity: invoicing.EntityOrganization, Code: invoicing.FieldAddress, Name: "Address", Type: "address"},
		{Entity: invoicing.EntityPerson, Code: invoicing.FieldEmail, Name: "Email", Type: "varchar"},
		{Entity: invoicing.EntityDeal, Code: invoicing.FieldTitle, Name: "Title", Type: "varchar"},
		{Entity: invoicing.EntityOrganization, Code: taxID, Name: pipedrivefake.FieldTaxID, Type: "varchar", Custom: true},
	} {
		if !slices.Contains(fields, want) {
			t.Errorf("fields lack %+v", want)
		}
	}
	for _, f := range fields {
		if f.Code == "owner_id" {
			t.Errorf("field %+v is offered but never filled", f)
		}
	}
}

func TestAddNote(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	id, err := e.crm.AddNote(context.Background(), 3, "<p>Invoice <b>1001</b></p>")
	if err != nil {
		t.Fatal(err)
	}
	notes := e.fake.Notes()
	if id == 0 || len(notes) != 1 || notes[0].ID != id || notes[0].DealID != 3 || !strings.Contains(notes[0].Content, "1001") {
		t.Errorf("note %d; fake holds %+v", id, notes)
	}
}

func TestPipedriveOffline(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	e.srv.Close()
	ctx := context.Background()
	if _, err := e.crm.ListDeals(ctx, invoicing.DealFilter{}, ""); !errors.Is(err, invoicing.ErrOffline) {
		t.Errorf("ListDeals: %v, want ErrOffline", err)
	}
	if _, err := e.crm.DealBundle(ctx, 1); !errors.Is(err, invoicing.ErrOffline) {
		t.Errorf("DealBundle: %v, want ErrOffline", err)
	}
}

func TestPipedriveAuthExpired(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	c, err := pipedriveClientWithToken(e.srv.URL, "revoked-token")
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewPipedrive(c, Options{}).ListDeals(context.Background(), invoicing.DealFilter{}, "")
	if !errors.Is(err, invoicing.ErrAuthExpired) {
		t.Errorf("err = %v, want ErrAuthExpired", err)
	}
}

func TestUsersNameTheDealOwners(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	owners, err := e.crm.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	names := map[int64]string{}
	for _, o := range owners {
		names[o.ID] = o.Name
	}
	for _, d := range e.data.Deals {
		if names[d.OwnerID] == "" {
			t.Fatalf("owner %d of deal %d has no name in %v", d.OwnerID, d.ID, names)
		}
	}
}

func TestUsersNotAllowedMeansNoNames(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	e.fake.InjectFault(pipedrivefake.Fault{Path: "/api/v1/users", Status: http.StatusForbidden})
	owners, err := e.crm.Users(context.Background())
	if err != nil || len(owners) != 0 {
		t.Errorf("Users = %v, %v; want none and no error", owners, err)
	}
}

func TestUsersProviderFault(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	e.fake.InjectFault(pipedrivefake.Fault{Path: "/api/v1/users", Status: http.StatusBadRequest})
	var perr *invoicing.ProviderError
	if _, err := e.crm.Users(context.Background()); !errors.As(err, &perr) {
		t.Errorf("err = %v, want a *invoicing.ProviderError", err)
	}
}

// Each deal product carries its catalogue product's code (SKU), read from the catalogue.
func TestDealBundleProductCodes(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	s := seeded{e.data}
	deal := s.richDeal(t)
	b, err := e.crm.DealBundle(context.Background(), deal.ID)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[int64]string{}
	for _, p := range e.data.Products {
		codes[p.ID] = p.Code
	}
	if len(b.Products) == 0 {
		t.Fatal("the deal has no products")
	}
	for _, p := range b.Products {
		if p.Code == "" || p.Code != codes[p.ProductID] {
			t.Errorf("product %d %q has code %q, want the catalogue's %q", p.ProductID, p.Name, p.Code, codes[p.ProductID])
		}
	}
}

// TestSharedCustomerAfterTheBundleUsesTheOrganizationJustRead: a draft asks for the team's customer
// right after reading the deal's bundle, which read the organization a moment ago; that answers once,
// without a second read (1 token), and a later question reads the organization again.
func TestSharedCustomerAfterTheBundleUsesTheOrganizationJustRead(t *testing.T) {
	e := newPipedriveEnv(t, 0)
	deal := seeded{e.data}.richDeal(t)
	ctx := context.Background()
	if err := e.crm.ShareCustomer(ctx, *deal.OrgID, "42"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.crm.DealBundle(ctx, deal.ID); err != nil {
		t.Fatal(err)
	}
	reads := e.fake.Count("GET /api/v2/organizations/{id}")
	for i, want := range []int{reads, reads + 1} {
		id, shared, err := e.crm.SharedCustomer(ctx, *deal.OrgID)
		if err != nil || !shared || id != "42" {
			t.Fatalf("question %d: %q, %v, %v; want 42", i+1, id, shared, err)
		}
		if got := e.fake.Count("GET /api/v2/organizations/{id}"); got != want {
			t.Errorf("question %d: %d organization reads, want %d", i+1, got, want)
		}
	}
}
