package pipedrive

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/internal/testkit"
)

// decodeSample decodes a success envelope's data into out and returns the envelope.
func decodeSample(t *testing.T, name string, out any) envelope {
	t.Helper()
	env, err := decodeEnvelope(testkit.ReadFile(t, name), out)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return env
}

func eqDec(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(testkit.Dec(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

const sampleCursor = "eyJmaWVsZCI6ImlkIiwiZmllbGRWYWx1ZSI6Nywic29ydERpcmVjdGlvbiI6ImFzYyIsImlkIjo3fQ"

var jan2021 = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

func checkSampleDeal(t *testing.T, d Deal) {
	t.Helper()
	testkit.Eq(t, "id", d.ID, 1)
	testkit.Eq(t, "title", d.Title, "Deal Title")
	testkit.Eq(t, "owner", d.OwnerID, 1)
	testkit.Eq(t, "person", d.PersonID, 1)
	testkit.Eq(t, "org", d.OrgID, 1)
	eqDec(t, "value", d.Value, "200")
	testkit.Eq(t, "currency", d.Currency, "USD")
	testkit.Eq(t, "status", d.Status, StatusOpen)
	eqDec(t, "probability", d.Probability.Decimal, "90")
	testkit.Eq(t, "update time", d.UpdateTime.Equal(jan2021), true)
	testkit.Eq(t, "expected close", d.ExpectedCloseDate, Date{2021, time.January, 1})
	testkit.Eq(t, "labels", len(d.LabelIDs), 3)
	eqDec(t, "mrr", d.MRR.Decimal, "10")
	testkit.Eq(t, "custom fields", len(d.CustomFields), 0)
}

func TestSampleV2Deals(t *testing.T) {
	var deals []Deal
	env := decodeSample(t, "v2-deals-list.json", &deals)
	if len(deals) != 1 {
		t.Fatalf("got %d deals", len(deals))
	}
	checkSampleDeal(t, deals[0])
	testkit.Eq(t, "next cursor", env.AdditionalData.NextCursor, sampleCursor)

	var d Deal
	decodeSample(t, "v2-deal-get.json", &d)
	checkSampleDeal(t, d)
}

func TestSampleDealSearch(t *testing.T) {
	for _, name := range []string{"v2-deals-search.json", "v1-deals-search.deprecated.json"} {
		var data searchData
		decodeSample(t, name, &data)
		if len(data.Items) != 1 {
			t.Fatalf("%s: %d items", name, len(data.Items))
		}
		it := data.Items[0]
		testkit.Eq(t, "score", it.ResultScore, 1.22)
		testkit.Eq(t, "title", it.Item.Title, "Jane Doe deal")
		eqDec(t, "value", it.Item.Value, "100")
		testkit.Eq(t, "person", it.Item.Person, Ref{ID: 1, Name: "Jane Doe"})
		testkit.Eq(t, "stage", it.Item.Stage.Name, "Lead In")
		testkit.Eq(t, "organization", it.Item.Organization, Ref{})
	}
}

func TestSampleItemSearch(t *testing.T) {
	var data searchData
	env := decodeSample(t, "v2-itemsearch.json", &data)
	testkit.Eq(t, "items", len(data.Items), 6)
	deal := data.Items[0].Item
	testkit.Eq(t, "deal id", deal.ID, 42)
	eqDec(t, "deal value", deal.Value, "53883")
	testkit.Eq(t, "org address", deal.Organization.Address, "Dabas, Hungary")
	testkit.Eq(t, "matched custom field", deal.CustomFields[0], "Sample text")
	testkit.Eq(t, "matched note", deal.Notes[0], "Sample note")
	testkit.Eq(t, "cursor", env.AdditionalData.NextCursor, sampleCursor)
}

func TestSampleContactSearches(t *testing.T) {
	type hit struct {
		ResultScore float64 `json:"result_score"`
		Item        struct {
			ID           int64    `json:"id"`
			Type         string   `json:"type"`
			Name         string   `json:"name"`
			Address      string   `json:"address"`
			Emails       []string `json:"emails"`
			Organization Ref      `json:"organization"`
		} `json:"item"`
	}
	var orgs, persons struct{ Items []hit }
	decodeSample(t, "v2-organizations-search.json", &orgs)
	testkit.Eq(t, "org type", orgs.Items[0].Item.Type, "organization")
	testkit.Eq(t, "org address", orgs.Items[0].Item.Address, "Mustamäe tee 3a, 10615 Tallinn")
	decodeSample(t, "v2-persons-search.json", &persons)
	testkit.Eq(t, "person email", persons.Items[0].Item.Emails[0], "jane@pipedrive.com")
	testkit.Eq(t, "person org", persons.Items[0].Item.Organization, Ref{ID: 1, Name: "Organization name"})
}

func TestSampleDealProducts(t *testing.T) {
	for _, name := range []string{"v2-deal-products-list.json", "v2-deals-products-bulk.json"} {
		var ps []DealProduct
		env := decodeSample(t, name, &ps)
		p := ps[0]
		testkit.Eq(t, "id", p.ID, 3)
		testkit.Eq(t, "deal", p.DealID, 1)
		testkit.Eq(t, "product", p.ProductID, 1)
		testkit.Eq(t, "variation", p.ProductVariationID, 0)
		testkit.Eq(t, "name", p.Name, "Mechanical Pencil")
		eqDec(t, "quantity", p.Quantity, "1")
		eqDec(t, "price", p.ItemPrice, "90")
		eqDec(t, "sum", p.Sum, "90")
		testkit.Eq(t, "tax method", p.TaxMethod, TaxInclusive)
		testkit.Eq(t, "discount type", p.DiscountType, DiscountPercentage)
		testkit.Eq(t, "enabled", p.IsEnabled, true)
		testkit.Eq(t, "recurring", p.IsRecurring(), false)
		testkit.Eq(t, "cycles", p.BillingCycles, 0)
		testkit.Eq(t, "billing start", p.BillingStartDate.String(), "2019-12-19")
		testkit.Eq(t, "cursor", env.AdditionalData.NextCursor, sampleCursor)
	}
}

// The deprecated v1 line shows Pipedrive's line maths: 22 × 5 less 0.2 % = 109.78.
func TestSampleV1DealProductSum(t *testing.T) {
	var ps []DealProduct
	decodeSample(t, "v1-deal-products-list.deprecated.json", &ps)
	p := ps[0]
	eqDec(t, "tax", p.Tax, "11")
	eqDec(t, "discount", p.Discount, "0.2")
	testkit.Eq(t, "recurring", p.IsRecurring(), true)
	testkit.Eq(t, "cycles", p.BillingCycles, 52)
	testkit.Eq(t, "add time", p.AddTime.Equal(time.Date(2020, 9, 18, 11, 11, 6, 0, time.UTC)), true)
	gross := p.ItemPrice.Mul(p.Quantity)
	net := gross.Sub(gross.Mul(p.Discount).Div(testkit.Dec("100"))).Round(2)
	eqDec(t, "computed sum", net, "109.78")
	eqDec(t, "sum", p.Sum, "109.78")
}

func TestSampleDiscountsAndInstallments(t *testing.T) {
	var ds []DealDiscount
	decodeSample(t, "v2-deal-discounts-list.json", &ds)
	testkit.Eq(t, "id", ds[0].ID, "30195b0e-7577-4f52-a5cf-f3ee39b9d1e0")
	testkit.Eq(t, "description", ds[0].Description, "10%")
	eqDec(t, "amount", ds[0].Amount, "10")
	testkit.Eq(t, "type", ds[0].Type, DiscountPercentage)
	testkit.Eq(t, "created", ds[0].CreatedAt.Equal(time.Date(2024, 3, 12, 10, 30, 5, 0, time.UTC)), true)

	var is []Installment
	decodeSample(t, "v2-deals-installments-list.json", &is)
	eqDec(t, "installment", is[0].Amount, "10")
	testkit.Eq(t, "billing date", is[0].BillingDate, Date{2025, time.March, 10})
	testkit.Eq(t, "description", is[0].Description, "Delivery Fee")
}

func TestSampleOrganization(t *testing.T) {
	var o Organization
	decodeSample(t, "v2-organization-get.json", &o)
	testkit.Eq(t, "name", o.Name, "Organization Name")
	want := Address{Value: "123 Main St", Country: "USA", AdminAreaLevel1: "CA", AdminAreaLevel2: "Santa Clara",
		Locality: "Sunnyvale", Sublocality: "Downtown", Route: "Main St", StreetNumber: "123", Subpremise: "123A",
		PostalCode: "94085"}
	testkit.Eq(t, "address", o.Address, want)
	testkit.Eq(t, "street", o.Address.Street(), "123 Main St 123A")
	testkit.Eq(t, "has components", o.Address.HasComponents(), true)
	testkit.Eq(t, "employees", o.EmployeeCount, 10)
	eqDec(t, "revenue", o.AnnualRevenue.Decimal, "0")
	testkit.Eq(t, "website", o.Website, "https://www.company.com")
}

func TestSamplePerson(t *testing.T) {
	var p Person
	decodeSample(t, "v2-person-get.json", &p)
	testkit.Eq(t, "name", p.Name, "Person Name")
	testkit.Eq(t, "org", p.OrgID, 1)
	testkit.Eq(t, "emails", len(p.Emails), 2)
	testkit.Eq(t, "primary email", p.PrimaryEmail(), "email1@email.com")
	testkit.Eq(t, "home email", p.Emails[1], ContactPoint{Value: "email2@email.com", Label: "home"})
	testkit.Eq(t, "primary phone", p.PrimaryPhone(), "12345")
	testkit.Eq(t, "job", p.JobTitle, "Manager")
	testkit.Eq(t, "postal suite", p.PostalAddress.Subpremise, "Apt 1")
}

func TestSampleProduct(t *testing.T) {
	var p Product
	decodeSample(t, "v2-product-get.json", &p)
	testkit.Eq(t, "code", p.Code, "MPENCIL")
	testkit.Eq(t, "category", p.Category, "Retail")
	testkit.Eq(t, "cycles", p.BillingCycles, 4)
	testkit.Eq(t, "prices", len(p.Prices), 1)
	eqDec(t, "price", p.Prices[0].Price, "5")
	testkit.Eq(t, "price currency", p.Prices[0].Currency, "EUR")
	eqDec(t, "direct cost", p.Prices[0].DirectCost, "1")
}

func TestSampleV2FieldLists(t *testing.T) {
	tests := []struct {
		file           string
		count          int
		customName     string
		firstOption    FieldOption
		subfieldsField string
		subfields      int
	}{
		{"v2-dealfields-list.json", 3, "Priority", FieldOption{"1", "Low"}, "value", 2},
		{"v2-organizationfields-list.json", 3, "Industry", FieldOption{"1", "Technology"}, "address", 10},
		{"v2-personfields-list.json", 3, "Lead Source", FieldOption{"1", "Inbound"}, "", 0},
	}
	for _, tt := range tests {
		var defs []Field
		env := decodeSample(t, tt.file, &defs)
		testkit.Eq(t, tt.file+" count", len(defs), tt.count)
		testkit.Eq(t, "cursor", env.AdditionalData.NextCursor, sampleCursor)
		fs := NewFields(defs)
		f, ok := fs.ByName(tt.customName)
		if !ok {
			t.Fatalf("%s: no field %q", tt.file, tt.customName)
		}
		testkit.Eq(t, "custom", f.IsCustom, true)
		testkit.Eq(t, "code", f.Code, "40characterhashforcustomfieldidentifier")
		testkit.Eq(t, "type", f.Type, "enum")
		testkit.Eq(t, "first option", f.Options[0], tt.firstOption)
		if tt.subfieldsField != "" {
			testkit.Eq(t, tt.subfieldsField+" subfields", len(fs[tt.subfieldsField].Subfields), tt.subfields)
		}
	}
}

// v1 field lists use other names (key, name, edit_flag); the client reads v2, but options decode alike.
func TestSampleV1FieldLists(t *testing.T) {
	for _, name := range []string{"v1-dealfields-list.json", "v1-organizationfields-list.json", "v1-personfields-list.json"} {
		var defs []struct {
			Key      string        `json:"key"`
			Name     string        `json:"name"`
			Type     string        `json:"field_type"`
			EditFlag bool          `json:"edit_flag"`
			Options  []FieldOption `json:"options"`
		}
		decodeSample(t, name, &defs)
		testkit.Eq(t, "key", defs[1].Key, "9dc80c50d78a15643bfc4ca79d76156a73a1ca0e")
		testkit.Eq(t, "custom", defs[1].EditFlag, true)
		testkit.Eq(t, "option", defs[1].Options[2], FieldOption{"192", "Government"})
	}
}

func TestSampleUsersMe(t *testing.T) {
	var u User
	decodeSample(t, "v1-users-me.json", &u)
	testkit.Eq(t, "id", u.ID, 1)
	testkit.Eq(t, "company id", u.CompanyID, 54235233)
	testkit.Eq(t, "domain", u.CompanyDomain, "pipedrive-12g53f")
	testkit.Eq(t, "company", u.CompanyName, "Pipedrive")
	testkit.Eq(t, "currency", u.DefaultCurrency, "EUR")
	testkit.Eq(t, "locale", u.Locale, "et_EE")
	testkit.Eq(t, "timezone", u.TimezoneName, "Europe/Berlin")
}

func TestSampleCurrencies(t *testing.T) {
	var cs []Currency
	decodeSample(t, "v1-currencies-list.json", &cs)
	testkit.Eq(t, "count", len(cs), 2)
	testkit.Eq(t, "usd", cs[1], Currency{ID: 2, Code: "USD", Name: "US Dollar", Symbol: "$", DecimalPoints: 2, Active: true})
}

func TestSampleNote(t *testing.T) {
	var n Note
	decodeSample(t, "v1-note-add-response.json", &n)
	testkit.Eq(t, "id", n.ID, 1)
	testkit.Eq(t, "deal", n.DealID, 1)
	testkit.Eq(t, "content", n.Content, "abc")
	testkit.Eq(t, "pinned", n.PinnedToDeal, true)
	testkit.Eq(t, "added", n.AddTime.Equal(time.Date(2019, 12, 9, 13, 59, 21, 0, time.UTC)), true)
	testkit.Eq(t, "updated", n.UpdateTime.Equal(time.Date(2019, 12, 9, 14, 26, 11, 0, time.UTC)), true)
}

func TestSampleErrors(t *testing.T) {
	tests := []struct {
		file, message, info, code string
		status                    int
		is                        error
	}{
		{"v2-error-404-entity-not-found.json", "Entity was not found", "Object was not found.", "", 404, ErrNotFound},
		{"v1-error-404-lead-not-found.json", "requested lead not found", "Object was not found.", "", 404, ErrNotFound},
		{"v1-error-403-no-permission.json", "You do not have permissions to do this.", "Please check developers.pipedrive.com", "", 403, ErrForbidden},
		{"v1-error-410-field-not-found.json", "The field is not found", "", "", 410, ErrGone},
		{"v1-users-me-401.json", "unauthorized access", "", "401", 401, ErrUnauthorized},
		{"docs-error-403-feature-capping.json", "Couldn't add the deal. Open deals limit reached.",
			"Please check developers.pipedrive.com for more information about Pipedrive API.", "feature_capping_deals_limit", 403, ErrForbidden},
		{"docs-error-response-generic.json", "Requested service is not available", "Please check developers.pipedrive.com", "", 503, ErrServer},
		{"oauth-error-invalid-grant.client-nodejs-test.json", "invalid_grant", "", "", 400, ErrBadRequest},
	}
	for _, tt := range tests {
		body := testkit.ReadFile(t, tt.file)
		if _, err := decodeEnvelope(body, nil); !errors.Is(err, errNotSuccess) {
			t.Errorf("%s: success envelope error = %v, want errNotSuccess", tt.file, err)
		}
		e := decodeError(tt.status, body)
		testkit.Eq(t, tt.file+" message", e.Message, tt.message)
		testkit.Eq(t, tt.file+" info", e.Info, tt.info)
		testkit.Eq(t, tt.file+" code", e.Code, tt.code)
		if !errors.Is(e, tt.is) {
			t.Errorf("%s: errors.Is(%v) false", tt.file, tt.is)
		}
	}
}

func TestSampleOffsetPaginationEnvelope(t *testing.T) {
	var pg struct {
		AdditionalData struct {
			Pagination struct {
				Start, Limit int
				More         bool `json:"more_items_in_collection"`
				NextStart    int  `json:"next_start"`
			}
		} `json:"additional_data"`
	}
	for _, tt := range []struct {
		file      string
		more      bool
		nextStart int
	}{
		{"docs-success-response-offset-pagination.json", false, 0},
		{"v1-deals-list.deprecated.json", false, 1},
		{"v1-organization-get.deprecated.json", false, 100},
	} {
		decodeSample(t, tt.file, nil)
		if err := json.Unmarshal(testkit.ReadFile(t, tt.file), &pg); err != nil {
			t.Fatal(err)
		}
		testkit.Eq(t, tt.file+" limit", pg.AdditionalData.Pagination.Limit, 100)
		testkit.Eq(t, tt.file+" more", pg.AdditionalData.Pagination.More, tt.more)
		testkit.Eq(t, tt.file+" next start", pg.AdditionalData.Pagination.NextStart, tt.nextStart)
	}
}

// Deprecated v1 deals embed person/org references as {"value": id, "name": …}; entityRef reads both forms.
func TestSampleV1DealsReferences(t *testing.T) {
	type v1Deal struct {
		ID       int64           `json:"id"`
		Title    string          `json:"title"`
		Value    decimal.Decimal `json:"value"`
		Currency string          `json:"currency"`
		PersonID json.RawMessage `json:"person_id"`
		OrgID    json.RawMessage `json:"org_id"`
		WonTime  Time            `json:"won_time"`
		LostTime Time            `json:"lost_time"`
	}
	var list []v1Deal
	decodeSample(t, "v1-deals-list.deprecated.json", &list)
	var one v1Deal
	decodeSample(t, "v1-deal-get.deprecated.json", &one)
	for _, d := range []v1Deal{list[0], one} {
		testkit.Eq(t, "title", d.Title, "Deal One")
		testkit.Eq(t, "currency", d.Currency, "EUR")
		pid, pname, err := entityRef(d.PersonID)
		testkit.Eq(t, "person ref", [2]any{pid, pname}, [2]any{int64(1101), "Person"})
		testkit.Eq(t, "person err", err, nil)
		oid, oname, err := entityRef(d.OrgID)
		testkit.Eq(t, "org ref", [2]any{oid, oname}, [2]any{int64(5), "Organization"})
		testkit.Eq(t, "org err", err, nil)
		testkit.Eq(t, "won", d.WonTime.Equal(time.Date(2019, 11, 27, 11, 40, 36, 0, time.UTC)), true)
	}
	eqDec(t, "list value", list[0].Value, "130")
	testkit.Eq(t, "empty lost time", one.LostTime.IsZero(), true)
}

// Deprecated v1 contacts: the org address is a one-line string plus flat address_* fields; person
// e-mails are under "email" with the same item shape as v2 "emails".
func TestSampleV1Contacts(t *testing.T) {
	var org struct {
		Name      string  `json:"name"`
		Address   Address `json:"address"`
		Formatted string  `json:"address_formatted_address"`
		Locality  string  `json:"address_locality"`
	}
	decodeSample(t, "v1-organization-get.deprecated.json", &org)
	testkit.Eq(t, "org", org.Name, "Bolt")
	testkit.Eq(t, "one-line address", org.Address, Address{Value: "Mustamäe tee 3a, 10615 Tallinn"})
	testkit.Eq(t, "has components", org.Address.HasComponents(), false)
	testkit.Eq(t, "formatted", org.Formatted, "Mustamäe tee 3a, 10616 Tallinn, Estonia")
	testkit.Eq(t, "locality", org.Locality, "Tallinn")

	var person struct {
		Name    string         `json:"name"`
		Email   []ContactPoint `json:"email"`
		Primary string         `json:"primary_email"`
	}
	decodeSample(t, "v1-person-get.deprecated.json", &person)
	testkit.Eq(t, "primary", primaryOf(person.Email), person.Primary)
	testkit.Eq(t, "primary value", person.Primary, "12345@email.com")
}

// Every field may be null and unknown fields may appear: decoding must still succeed.
func TestDecodeNullsAndUnknownFields(t *testing.T) {
	tests := []struct {
		file string
		out  func() any
	}{
		{"v2-deal-get.json", func() any { return new(Deal) }},
		{"v2-organization-get.json", func() any { return new(Organization) }},
		{"v2-person-get.json", func() any { return new(Person) }},
		{"v2-product-get.json", func() any { return new(Product) }},
		{"v2-deal-products-list.json", func() any { return new(DealProduct) }},
		{"v2-deal-discounts-list.json", func() any { return new(DealDiscount) }},
		{"v2-deals-installments-list.json", func() any { return new(Installment) }},
		{"v2-dealfields-list.json", func() any { return new(Field) }},
		{"v1-users-me.json", func() any { return new(User) }},
		{"v1-currencies-list.json", func() any { return new(Currency) }},
		{"v1-note-add-response.json", func() any { return new(Note) }},
	}
	for _, tt := range tests {
		var env struct{ Data json.RawMessage }
		if err := json.Unmarshal(testkit.ReadFile(t, tt.file), &env); err != nil {
			t.Fatal(err)
		}
		var obj map[string]any
		if err := json.Unmarshal(env.Data, &obj); err != nil {
			var list []map[string]any
			if err := json.Unmarshal(env.Data, &list); err != nil {
				t.Fatal(err)
			}
			obj = list[0]
		}
		for k := range obj {
			obj[k] = nil
		}
		obj["a_field_from_the_future"] = map[string]any{"nested": []any{1, "two"}}
		b, _ := json.Marshal(obj)
		if err := json.Unmarshal(b, tt.out()); err != nil {
			t.Errorf("%s with nulls: %v", tt.file, err)
		}
	}
}
