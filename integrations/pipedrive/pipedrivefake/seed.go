package pipedrivefake

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// SeedOptions shapes a generated company.
type SeedOptions struct {
	Seed  int64     // the same seed always gives the same company
	Deals int       // number of deals (none deleted or archived); default 300
	Now   time.Time // the present the data is dated against; default 2026-11-02T09:00:00Z
}

// Names of the custom fields Generate creates (look their per-company codes up with FieldCode).
const (
	FieldPurchaseOrder   = "Purchase order"           // deal, varchar
	FieldContractMonths  = "Contract length (months)" // deal, double
	FieldSetupFee        = "Setup fee"                // deal, monetary
	FieldPriority        = "Priority"                 // deal, enum
	FieldServices        = "Services"                 // deal, set
	FieldDeliveryAddress = "Delivery address"         // deal, address
	FieldBillingContact  = "Billing contact"          // deal, people
	FieldReseller        = "Reseller"                 // deal, org
	FieldRenewalDate     = "Renewal date"             // deal, date
	FieldTaxID           = "Tax ID"                   // organization, varchar
	FieldIndustry        = "Industry"                 // organization, enum
	FieldPaymentTerms    = "Payment terms (days)"     // organization, double
	FieldLanguage        = "Preferred language"       // person, enum
)

// country is what the generator needs to make believable organizations in one country.
type country struct {
	code, name, currency, tld, phonePrefix string
	cities                                 []city
	streets                                []string
	suffix                                 string
	taxID                                  func(r *rand.Rand) string
}

type city struct{ name, region, county, postal string }

var countries = []country{
	{"US", "United States", "USD", "com", "+1 ", []city{
		{"New York", "NY", "New York County", "10036"}, {"Austin", "TX", "Travis County", "78701"},
		{"Seattle", "WA", "King County", "98104"}, {"Boston", "MA", "Suffolk County", "02110"},
	}, []string{"5th Avenue", "Congress Avenue", "Pine Street", "Summer Street"}, "Inc.",
		func(r *rand.Rand) string { return fmt.Sprintf("%02d-%07d", 10+r.IntN(89), r.IntN(10000000)) }},
	{"GB", "United Kingdom", "GBP", "co.uk", "+44 ", []city{
		{"London", "England", "Greater London", "EC1A 1BB"}, {"Manchester", "England", "Greater Manchester", "M1 1AE"},
		{"Edinburgh", "Scotland", "City of Edinburgh", "EH1 1YZ"},
	}, []string{"High Street", "Deansgate", "Princes Street"}, "Ltd",
		func(r *rand.Rand) string { return fmt.Sprintf("GB%09d", r.IntN(1000000000)) }},
	{"NL", "Netherlands", "EUR", "nl", "+31 ", []city{
		{"Amsterdam", "Noord-Holland", "", "1015 CJ"}, {"Rotterdam", "Zuid-Holland", "", "3011 AD"},
		{"Utrecht", "Utrecht", "", "3511 LX"},
	}, []string{"Keizersgracht", "Coolsingel", "Oudegracht"}, "B.V.",
		func(r *rand.Rand) string { return fmt.Sprintf("NL%09dB01", r.IntN(1000000000)) }},
	{"DE", "Germany", "EUR", "de", "+49 ", []city{
		{"Berlin", "Berlin", "", "10117"}, {"München", "Bayern", "Oberbayern", "80331"},
		{"Hamburg", "Hamburg", "", "20095"},
	}, []string{"Friedrichstraße", "Maximilianstraße", "Mönckebergstraße"}, "GmbH",
		func(r *rand.Rand) string { return fmt.Sprintf("DE%09d", r.IntN(1000000000)) }},
	{"SE", "Sweden", "SEK", "se", "+46 ", []city{
		{"Stockholm", "Stockholms län", "", "111 52"}, {"Göteborg", "Västra Götalands län", "", "411 05"},
	}, []string{"Drottninggatan", "Kungsportsavenyen"}, "AB",
		func(r *rand.Rand) string { return fmt.Sprintf("SE%010d01", r.IntN(1000000000)) }},
}

// countryWeights: US 40 %, GB 20 %, NL 15 %, DE 15 %, SE 10 %.
var countryWeights = []int{40, 20, 15, 15, 10}

var (
	companyNames = []string{"Harbor Lights Trading", "Kestrel Analytics", "Bright Meadow Foods", "Copperfield Logistics"}
	orgWords1    = []string{"Blue", "North", "Silver", "Granite", "Maple", "Cedar", "Atlas", "Nova", "Pioneer", "Summit",
		"Harbor", "Iron", "Golden", "Crystal", "Falcon", "Oak", "Polar", "Orion", "Vista", "Beacon"}
	orgWords2 = []string{"Dynamics", "Labs", "Foods", "Logistics", "Systems", "Works", "Health", "Retail", "Energy",
		"Media", "Partners", "Robotics", "Textiles", "Studios", "Engineering"}
	firstNames = []string{"Anna", "Ben", "Chloé", "David", "Emma", "Finn", "Grace", "Hugo", "Isabel", "Jonas", "Kira",
		"Liam", "Maya", "Noah", "Olivia", "Pieter", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Victor", "Wen", "Yusuf", "Zoë"}
	lastNames = []string{"Andersson", "Bakker", "Clarke", "Dubois", "Evans", "Fischer", "García", "Hughes", "Jansen",
		"Kowalski", "Lindqvist", "Müller", "Nguyen", "O'Brien", "Patel", "Rossi", "Schmidt", "Taylor", "de Vries", "Walsh"}
	dealThemes = []string{"Annual support renewal", "Website relaunch", "Hardware refresh", "Onboarding package",
		"Analytics rollout", "Training programme", "Cloud migration", "Warehouse scanners", "Pilot project",
		"Expansion seats", "Security audit", "Integration project"}
	lostReasons = []string{"Price too high", "Went with a competitor", "No budget this year", "No decision"}
	industries  = []string{"Software", "Manufacturing", "Retail", "Healthcare", "Logistics"}
)

// catalogueItem is a product of the generated catalogue; prices are in USD and converted per currency.
type catalogueItem struct {
	name, code, unit, category, frequency string
	cycles                                int // 0 = indefinite (or one-time)
	usd                                   string
	tax                                   string
	maxQty                                int
}

var catalogue = []catalogueItem{
	{"Consulting hour", "CONS-HR", "hour", "Services", "one-time", 0, "150", "20", 80},
	{"Implementation package", "IMPL-PKG", "package", "Services", "one-time", 0, "4800", "20", 1},
	{"Training day", "TRN-DAY", "day", "Training", "one-time", 0, "1200", "0", 5},
	{"Barcode scanner X200", "HW-X200", "piece", "Hardware", "one-time", 0, "329.99", "20", 40},
	{"Label printer LP5", "HW-LP5", "piece", "Hardware", "one-time", 0, "489.50", "20", 10},
	{"Ruggedized tablet", "HW-TAB8", "piece", "Hardware", "one-time", 0, "799", "20", 25},
	{"Software licence (perpetual)", "SW-PERP", "seat", "Software", "one-time", 0, "640", "20", 50},
	{"Cloud seat", "SaaS-SEAT", "seat", "Software", "monthly", 12, "29.90", "20", 60},
	{"Premium support plan", "SUP-PREM", "plan", "Support", "monthly", 0, "450", "20", 1},
	{"Hosting (annual)", "HOST-YR", "year", "Hosting", "annually", 3, "2400", "20", 1},
	{"Data migration", "SRV-MIG", "project", "Services", "one-time", 0, "2750", "20", 1},
	{"Extended warranty", "WAR-3Y", "piece", "Hardware", "one-time", 0, "59", "0", 40},
}

// taxRates are the standard and reduced tax rates Pipedrive products carry
// in each currency's country; the catalogue's "20" stands for the standard
// rate (the reduced one for support and hosting), "0" for none.
var taxRates = map[string][2]string{"USD": {"8", "8.875"}, "EUR": {"21", "9"}, "GBP": {"20", "5"}, "SEK": {"25", "12"}}

// taxRate is the rate of a catalogue item in a deal of the currency.
func taxRate(item catalogueItem, currency string) string {
	if item.tax == "0" {
		return "0"
	}
	if item.category == "Support" || item.category == "Hosting" {
		return taxRates[currency][1]
	}
	return taxRates[currency][0]
}

// Exchange rates used to price the catalogue in each currency.
var fromUSD = map[string]string{"USD": "1", "EUR": "0.92", "GBP": "0.79", "SEK": "10.45"}

// generator carries the random source and the company's identity through Generate.
type generator struct {
	r         *rand.Rand
	companyID int64
	now       time.Time
}

// Generate makes a deterministic, realistic company: organizations with full, partial and one-line
// addresses and a tax-ID custom field, persons with several e-mails, a catalogue with recurring products,
// and deals in USD, EUR, GBP and SEK with products, line and deal-level discounts, tax, custom fields of
// every common type, several owners and open, won and lost statuses. Custom field codes are 40-character
// hashes that differ per company (per seed).
func Generate(o SeedOptions) Dataset {
	if o.Deals <= 0 {
		o.Deals = 300
	}
	if o.Now.IsZero() {
		o.Now = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	}
	g := &generator{r: rand.New(rand.NewPCG(uint64(o.Seed), 0x9e3779b97f4a7c15)), now: o.Now.UTC().Truncate(time.Second)}
	g.companyID = 1000000 + g.r.Int64N(9000000)

	var d Dataset
	d.Users = g.users()
	d.Me = d.Users[0]
	d.Currencies = seedCurrencies()
	d.Stages = []Stage{{1, "Qualified"}, {2, "Contact Made"}, {3, "Demo Scheduled"}, {4, "Proposal Made"}, {5, "Negotiations Started"}}
	d.DealFields = g.dealFields()
	d.OrganizationFields = g.orgFields()
	d.PersonFields = g.personFields()
	orgCountry := g.organizations(&d, max(20, o.Deals/3))
	g.persons(&d, orgCountry)
	d.Products = g.products(d.Me.ID)
	g.deals(&d, o.Deals, orgCountry)
	return d
}

func (g *generator) pick(items []string) string { return items[g.r.IntN(len(items))] }

func (g *generator) chance(percent int) bool { return g.r.IntN(100) < percent }

// code is a per-company 40-character field key.
func (g *generator) code(entity, name string) string {
	sum := sha1.Sum(fmt.Appendf(nil, "%d/%s/%s", g.companyID, entity, name))
	return hex.EncodeToString(sum[:])
}

// daysAgo is an instant between lo and hi days before now.
func (g *generator) daysAgo(lo, hi int) time.Time {
	return g.now.Add(-time.Duration(lo*24*3600+g.r.IntN((hi-lo)*24*3600+1)) * time.Second)
}

func ptr[T any](v T) *T { return &v }

func (g *generator) users() []User {
	name := companyNames[g.r.IntN(len(companyNames))]
	slug := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	home := []struct{ cur, locale, tz, offset, country string }{
		{"USD", "en_US", "America/New_York", "-05:00", "US"},
		{"EUR", "nl_NL", "Europe/Amsterdam", "+01:00", "NL"},
		{"GBP", "en_GB", "Europe/London", "+00:00", "GB"},
	}[g.r.IntN(3)]
	var us []User
	for i, n := range []string{"Sam Rivera", "Alex Morgan", "Jamie Chen", "Robin Okafor"} {
		first := strings.ToLower(strings.Fields(n)[0])
		us = append(us, User{
			ID: 10000 + int64(i)*7 + g.r.Int64N(7), Name: n, DefaultCurrency: home.cur, Locale: home.locale, Lang: 1,
			Email: first + "@" + slug + ".example", Phone: "", Activated: true,
			LastLogin: g.daysAgo(0, 3).Format(time.DateTime), Created: g.daysAgo(700, 900).Format(time.DateTime),
			Modified: g.daysAgo(0, 30).Format(time.DateTime), HasCreatedCompany: i == 0,
			Access:     []UserAccess{{App: "sales", Admin: i == 0, PermissionSetID: fmt.Sprintf("%08x-0000-4000-8000-%012x", g.companyID, i)}},
			ActiveFlag: true, TimezoneName: home.tz, TimezoneOffset: home.offset, RoleID: 1, IsYou: i == 0,
			CompanyID: g.companyID, CompanyName: name, CompanyDomain: fmt.Sprintf("%s-%x", slug, g.companyID%4096),
			CompanyCountry: home.country, CompanyIndustry: "Wholesale",
			Language: UserLanguage{LanguageCode: "en", CountryCode: home.country},
		})
	}
	return us
}

func seedCurrencies() []Currency {
	return []Currency{
		{1, "EUR", "Euro", 2, "€", true, false},
		{2, "USD", "US Dollar", 2, "$", true, false},
		{3, "GBP", "British Pound", 2, "£", true, false},
		{4, "SEK", "Swedish Krona", 2, "kr", true, false},
		{5, "JPY", "Japanese Yen", 0, "¥", true, false},
		{6, "PTS", "Partner points", 0, "pts", true, true},
	}
}

func monetarySubfields(name string) []Subfield {
	return []Subfield{{"value", "Amount of " + name, "double"}, {"currency", "Currency of " + name, "varchar"}}
}

func addressSubfields(name string) []Subfield {
	parts := [][2]string{{"value", "Address value"}, {"street_number", "House number"}, {"route", "Street/road name"},
		{"subpremise", "Apartment/suite"}, {"sublocality", "District"}, {"locality", "City/town/village/locality"},
		{"admin_area_level_1", "State/province"}, {"admin_area_level_2", "County"}, {"country", "Country"},
		{"postal_code", "Postal code"}, {"formatted_address", "Formatted address"}}
	out := make([]Subfield, len(parts))
	for i, p := range parts {
		out[i] = Subfield{p[0], p[1] + " of " + name, "varchar"}
	}
	return out
}

// options makes enum/set options with company-specific ids.
func (g *generator) options(labels ...string) []FieldOption {
	base := int64(10 + g.r.IntN(900))
	out := make([]FieldOption, len(labels))
	for i, l := range labels {
		out[i] = FieldOption{ID: base + int64(i), Label: l}
	}
	return out
}

func builtin(name, code, typ string, sub []Subfield) Field {
	return Field{FieldName: name, FieldCode: code, FieldType: typ, Subfields: sub}
}

func (g *generator) custom(entity, name, typ string, opts []FieldOption, sub []Subfield) Field {
	return Field{FieldName: name, FieldCode: g.code(entity, name), FieldType: typ, Options: opts, Subfields: sub,
		IsCustomField: true}
}

func (g *generator) dealFields() []Field {
	return []Field{
		builtin("Title", "title", "varchar", nil),
		builtin("Value", "value", "monetary", monetarySubfields("Value")),
		builtin("Owner", "owner_id", "user", nil),
		builtin("Contact person", "person_id", "people", nil),
		builtin("Organization", "org_id", "org", nil),
		builtin("Expected close date", "expected_close_date", "date", nil),
		g.custom("deal", FieldPurchaseOrder, "varchar", nil, nil),
		g.custom("deal", FieldContractMonths, "double", nil, nil),
		g.custom("deal", FieldSetupFee, "monetary", nil, monetarySubfields(FieldSetupFee)),
		g.custom("deal", FieldPriority, "enum", g.options("Low", "Medium", "High"), nil),
		g.custom("deal", FieldServices, "set", g.options("Consulting", "Support", "Training", "Hosting"), nil),
		g.custom("deal", FieldDeliveryAddress, "address", nil, addressSubfields(FieldDeliveryAddress)),
		g.custom("deal", FieldBillingContact, "people", nil, nil),
		g.custom("deal", FieldReseller, "org", nil, nil),
		g.custom("deal", FieldRenewalDate, "date", nil, nil),
	}
}

func (g *generator) orgFields() []Field {
	return []Field{
		builtin("Name", "name", "varchar", nil),
		builtin("Address", "address", "address", addressSubfields("Address")),
		builtin("Owner", "owner_id", "user", nil),
		g.custom("organization", FieldTaxID, "varchar", nil, nil),
		g.custom("organization", FieldIndustry, "enum", g.options(industries...), nil),
		g.custom("organization", FieldPaymentTerms, "double", nil, nil),
	}
}

func (g *generator) personFields() []Field {
	return []Field{
		builtin("Name", "name", "varchar", nil),
		builtin("Email", "emails", "varchar", nil),
		builtin("Phone", "phones", "phone", nil),
		builtin("Organization", "org_id", "org", nil),
		g.custom("person", FieldLanguage, "enum", g.options("English", "Dutch", "German", "Swedish"), nil),
	}
}

func fieldByName(fields []Field, name string) Field {
	for _, f := range fields {
		if f.FieldName == name {
			return f
		}
	}
	panic("pipedrivefake: seed has no field " + name)
}

// address makes a full (60 %), partial (20 %), one-line (15 %) or missing (5 %) address.
func (g *generator) address(c country) *Address {
	ci := c.cities[g.r.IntN(len(c.cities))]
	street, number := g.pick(c.streets), fmt.Sprint(1+g.r.IntN(250))
	var line, formatted string
	if c.code == "US" || c.code == "GB" {
		line = fmt.Sprintf("%s %s, %s", number, street, ci.name)
		formatted = fmt.Sprintf("%s %s, %s, %s %s, %s", number, street, ci.name, ci.region, ci.postal, c.name)
	} else {
		line = fmt.Sprintf("%s %s, %s %s", street, number, ci.postal, ci.name)
		formatted = fmt.Sprintf("%s %s, %s %s, %s", street, number, ci.postal, ci.name, c.name)
	}
	switch n := g.r.IntN(100); {
	case n < 60:
		a := &Address{Value: ptr(line), Country: ptr(c.name), AdminAreaLevel1: ptr(ci.region), Locality: ptr(ci.name),
			Route: ptr(street), StreetNumber: ptr(number), PostalCode: ptr(ci.postal), FormattedAddress: ptr(formatted)}
		if ci.county != "" {
			a.AdminAreaLevel2 = ptr(ci.county)
		}
		if g.chance(30) {
			a.Subpremise = ptr(fmt.Sprintf("Suite %d", 100+g.r.IntN(800)))
		}
		return a
	case n < 80:
		return &Address{Value: ptr(ci.name + ", " + c.name), Locality: ptr(ci.name), Country: ptr(c.name)}
	case n < 95:
		return &Address{Value: ptr(formatted)}
	}
	return nil
}

func (g *generator) organizations(d *Dataset, n int) map[int64]country {
	taxID := fieldByName(d.OrganizationFields, FieldTaxID).FieldCode
	industry := fieldByName(d.OrganizationFields, FieldIndustry)
	terms := fieldByName(d.OrganizationFields, FieldPaymentTerms).FieldCode
	byID := map[int64]country{}
	used := map[string]bool{}
	for i := range n {
		c := countries[g.weighted(countryWeights)]
		name := g.pick(orgWords1) + " " + g.pick(orgWords2)
		for used[name] {
			name = g.pick(orgWords1) + " " + g.pick(orgWords2) + " " + g.pick(orgWords1)
		}
		used[name] = true
		added := g.daysAgo(400, 800)
		o := Organization{
			ID: int64(i + 1), Name: name + " " + c.suffix, OwnerID: d.Users[g.r.IntN(len(d.Users))].ID,
			AddTime: added, UpdateTime: added.Add(time.Duration(g.r.IntN(300*24)) * time.Hour),
			Address: g.address(c), VisibleTo: 3, LabelIDs: []int64{},
			Website:      ptr("https://www." + slugify(name) + "." + c.tld),
			CustomFields: map[string]any{},
		}
		if g.chance(85) {
			o.CustomFields[taxID] = c.taxID(g.r)
		}
		if g.chance(70) {
			o.CustomFields[industry.FieldCode] = industry.Options[g.r.IntN(len(industry.Options))].ID
		}
		if g.chance(60) {
			o.CustomFields[terms] = N([]string{"14", "30", "30", "45", "60"}[g.r.IntN(5)])
		}
		if g.chance(50) {
			o.EmployeeCount = ptr(5 + g.r.IntN(2000))
		}
		d.Organizations = append(d.Organizations, o)
		byID[o.ID] = c
	}
	return byID
}

func (g *generator) weighted(weights []int) int {
	n := g.r.IntN(100)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func slugify(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// persons gives every organization one to three people with one to three e-mails; for about a quarter
// of them the primary e-mail is not the first one.
func (g *generator) persons(d *Dataset, orgCountry map[int64]country) {
	lang := fieldByName(d.PersonFields, FieldLanguage)
	for _, o := range d.Organizations {
		domain := strings.TrimPrefix(*o.Website, "https://www.")
		for range 1 + g.r.IntN(3) {
			first, last := g.pick(firstNames), g.pick(lastNames)
			local := strings.ToLower(strings.NewReplacer(" ", "", "'", "", "é", "e", "ë", "e", "í", "i", "ü", "u", "ö", "o", "ä", "a", "å", "a").Replace(first + "." + last))
			emails := []ContactPoint{{Value: local + "@" + domain, Primary: true, Label: "work"}}
			if g.chance(50) {
				emails = append(emails, ContactPoint{Value: local + "@mail.example", Label: "home"})
			}
			if g.chance(35) {
				accounts := ContactPoint{Value: "accounts@" + domain, Label: "other"}
				if g.chance(70) {
					emails[0].Primary, accounts.Primary = false, true
				}
				emails = append([]ContactPoint{emails[0]}, append([]ContactPoint{accounts}, emails[1:]...)...)
			}
			p := Person{
				ID: int64(len(d.Persons) + 1), Name: first + " " + last, FirstName: first, LastName: last,
				OwnerID: o.OwnerID, OrgID: ptr(o.ID), AddTime: o.AddTime, UpdateTime: o.UpdateTime,
				Emails: emails, Phones: []ContactPoint{{Value: fmt.Sprintf("%s%d %07d", orgCountry[o.ID].phonePrefix, 20+g.r.IntN(700),
					g.r.IntN(10000000)), Primary: true, Label: "work"}},
				VisibleTo: 3, LabelIDs: []int64{}, CustomFields: map[string]any{},
			}
			if g.chance(40) {
				p.CustomFields[lang.FieldCode] = lang.Options[g.r.IntN(len(lang.Options))].ID
			}
			d.Persons = append(d.Persons, p)
		}
	}
}

func (g *generator) products(owner int64) []Product {
	var ps []Product
	added := g.daysAgo(500, 600)
	for i, c := range catalogue {
		p := Product{
			ID: int64(i + 1), Name: c.name, Code: c.code, Description: c.name + " (" + c.category + ")", Unit: c.unit,
			Tax: N(c.tax), Category: ptr(c.category), IsLinkable: true, VisibleTo: 3, OwnerID: owner,
			AddTime: added, UpdateTime: added, BillingFrequency: c.frequency, CustomFields: map[string]any{},
		}
		if c.cycles > 0 {
			p.BillingFrequencyCycles = ptr(c.cycles)
		}
		for _, cur := range []string{"USD", "EUR", "GBP", "SEK"} {
			price := priceIn(c.usd, cur)
			p.Prices = append(p.Prices, ProductPrice{ProductID: p.ID, Price: price, Currency: cur,
				Cost: Num{price.Mul(decimal.RequireFromString("0.55")).Round(2)}, DirectCost: N("0"), Notes: ""})
		}
		ps = append(ps, p)
	}
	return ps
}

func priceIn(usd, cur string) Num {
	return Num{decimal.RequireFromString(usd).Mul(decimal.RequireFromString(fromUSD[cur])).Round(2)}
}

// dealCodes holds the codes of the generated deal custom fields.
type dealCodes struct {
	po, months, fee, delivery, contact, reseller, renewal string
	priority, services                                    Field
}

func (g *generator) deals(d *Dataset, n int, orgCountry map[int64]country) {
	f := func(name string) Field { return fieldByName(d.DealFields, name) }
	codes := dealCodes{po: f(FieldPurchaseOrder).FieldCode, months: f(FieldContractMonths).FieldCode,
		fee: f(FieldSetupFee).FieldCode, delivery: f(FieldDeliveryAddress).FieldCode,
		contact: f(FieldBillingContact).FieldCode, reseller: f(FieldReseller).FieldCode,
		renewal: f(FieldRenewalDate).FieldCode, priority: f(FieldPriority), services: f(FieldServices)}
	personsOf := map[int64][]Person{}
	for _, p := range d.Persons {
		personsOf[*p.OrgID] = append(personsOf[*p.OrgID], p)
	}
	for i := range n {
		org := d.Organizations[g.r.IntN(len(d.Organizations))]
		c := orgCountry[org.ID]
		deal := g.deal(int64(i+1), d, org, c, personsOf[org.ID], codes)
		g.dealLines(&deal, d)
		d.Deals = append(d.Deals, deal)
	}
}

func (g *generator) deal(id int64, d *Dataset, org Organization, c country, people []Person, codes dealCodes) Deal {
	added := g.daysAgo(1, 400)
	updated := added.Add(time.Duration(g.r.Int64N(int64(g.now.Sub(added)/time.Second)+1)) * time.Second)
	cur := c.currency
	if g.chance(10) {
		cur = []string{"USD", "EUR", "GBP"}[g.r.IntN(3)]
	}
	person := people[g.r.IntN(len(people))]
	deal := Deal{
		ID: id, Title: org.Name + " — " + g.pick(dealThemes), CreatorUserID: d.Users[0].ID,
		OwnerID: d.Users[g.r.IntN(len(d.Users))].ID, PersonID: ptr(person.ID), OrgID: ptr(org.ID),
		PipelineID: 1, Currency: cur, AddTime: added, UpdateTime: updated, VisibleTo: 3, LabelIDs: []int64{},
		Origin: "ManuallyCreated", CustomFields: map[string]any{},
		ExpectedCloseDate: ptr(added.AddDate(0, 0, 30+g.r.IntN(60)).Format(time.DateOnly)),
	}
	switch {
	case g.chance(5): // a deal with a person but no organization
		deal.OrgID = nil
		deal.Title = person.Name + " — " + g.pick(dealThemes)
	case g.chance(5): // an organization but no contact person
		deal.PersonID = nil
	}
	switch n := g.r.IntN(100); {
	case n < 45:
		deal.Status, deal.StageID = "open", int64(1+g.r.IntN(5))
		deal.Probability = ptr(10 * (1 + g.r.IntN(9)))
	case n < 85:
		deal.Status, deal.StageID = "won", 5
		deal.WonTime, deal.CloseTime = ptr(updated), ptr(updated)
		deal.LocalWonDate, deal.LocalCloseDate = ptr(updated.Format(time.DateOnly)), ptr(updated.Format(time.DateOnly))
	default:
		deal.Status, deal.StageID = "lost", int64(1+g.r.IntN(5))
		deal.LostTime, deal.CloseTime = ptr(updated), ptr(updated)
		deal.LocalLostDate, deal.LocalCloseDate = ptr(updated.Format(time.DateOnly)), ptr(updated.Format(time.DateOnly))
		deal.LostReason = ptr(g.pick(lostReasons))
	}
	deal.StageChangeTime = ptr(updated)
	cf := deal.CustomFields
	if g.chance(70) {
		cf[codes.po] = fmt.Sprintf("PO-%d-%05d", added.Year(), g.r.IntN(100000))
	}
	if g.chance(50) {
		cf[codes.months] = N([]string{"12", "24", "36", "6.5"}[g.r.IntN(4)])
	}
	if g.chance(30) {
		cf[codes.fee] = map[string]any{"value": N([]string{"250", "499.99", "1200.50"}[g.r.IntN(3)]), "currency": cur}
	}
	if g.chance(80) {
		cf[codes.priority.FieldCode] = codes.priority.Options[g.r.IntN(3)].ID
	}
	if g.chance(60) {
		var ids []int64
		for _, o := range codes.services.Options {
			if g.chance(50) {
				ids = append(ids, o.ID)
			}
		}
		if len(ids) > 0 {
			cf[codes.services.FieldCode] = ids
		}
	}
	if g.chance(25) {
		if a := g.address(c); a != nil {
			cf[codes.delivery] = a
		}
	}
	if g.chance(30) {
		cf[codes.contact] = people[g.r.IntN(len(people))].ID
	}
	if g.chance(10) {
		cf[codes.reseller] = d.Organizations[g.r.IntN(len(d.Organizations))].ID
	}
	if g.chance(40) {
		cf[codes.renewal] = added.AddDate(1, 0, 0).Format(time.DateOnly)
	}
	return deal
}

// dealLines attaches one to four products, maybe deal-level discounts or installments, and sets the
// deal value: the sum of the lines (each quantity × price less its discount, rounded to cents) less the
// deal discounts. Products carry their country's standard or reduced rate, inclusive, exclusive or no
// tax (deal-wide). Whether Pipedrive's value includes tax added on top is not documented, so every third
// tax-exclusive deal has it included (each line's tax on its sum less its share of the deal discount,
// rounded per line). Every 40th deal has a value but no products.
func (g *generator) dealLines(deal *Deal, d *Dataset) {
	noProducts := deal.ID%40 == 0
	var lines []DealProduct
	taxMethod := []string{"exclusive", "exclusive", "exclusive", "exclusive", "exclusive", "exclusive", "exclusive",
		"inclusive", "inclusive", "none"}[g.r.IntN(10)]
	total := decimal.Zero
	recurring := false
	for n := range 1 + g.r.IntN(4) {
		item := catalogue[g.r.IntN(len(catalogue))]
		product := d.Products[indexOfCode(item.code)]
		price := priceIn(item.usd, deal.Currency)
		qty := decimal.NewFromInt(int64(1 + g.r.IntN(item.maxQty)))
		gross := price.Mul(qty)
		discount, discountType := decimal.Zero, "percentage"
		switch k := g.r.IntN(100); {
		case k < 25:
			discount = decimal.RequireFromString([]string{"5", "10", "12.5", "15"}[g.r.IntN(4)])
		case k < 40:
			discountType = "amount"
			discount = decimal.Min(decimal.NewFromInt(int64(25*(1+g.r.IntN(4)))), gross.Div(decimal.NewFromInt(2)).Floor())
		}
		sum := gross.Sub(discount)
		if discountType == "percentage" {
			sum = gross.Sub(gross.Mul(discount).Div(decimal.NewFromInt(100)))
		}
		sum = sum.Round(2)
		tax := taxRate(item, deal.Currency)
		if taxMethod == "none" {
			tax = "0"
		}
		line := DealProduct{
			ID: int64(len(d.DealProducts) + 1), Sum: Num{sum}, Tax: N(tax), DealID: deal.ID, Name: item.name,
			ProductID: product.ID, OrderNr: n + 1, AddTime: deal.AddTime, UpdateTime: deal.AddTime,
			Currency: deal.Currency, Discount: Num{discount}, Quantity: Num{qty}, ItemPrice: price,
			TaxMethod: taxMethod, DiscountType: discountType, IsEnabled: true, BillingFrequency: item.frequency,
		}
		if item.frequency != "one-time" {
			recurring = true
			line.BillingStartDate = deal.ExpectedCloseDate
			if item.cycles > 0 {
				line.BillingFrequencyCycles = ptr(item.cycles)
			}
		}
		if g.chance(15) {
			line.Comments = "Delivery in " + []string{"two batches", "week 12", "Q1"}[g.r.IntN(3)]
		}
		lines = append(lines, line)
		total = total.Add(sum)
	}
	linesTotal := total
	var discounts []Discount
	if g.chance(20) {
		disc := Discount{ID: g.uuid(), DealID: deal.ID, CreatedAt: deal.AddTime, UpdatedAt: deal.AddTime,
			CreatedBy: deal.OwnerID, UpdatedBy: deal.OwnerID}
		if g.chance(50) {
			disc.Type, disc.Amount = "percentage", N([]string{"5", "10"}[g.r.IntN(2)])
			disc.Description = "Loyalty discount " + disc.Amount.String() + "%"
			total = total.Sub(total.Mul(disc.Amount.Decimal).Div(decimal.NewFromInt(100))).Round(2)
		} else {
			disc.Type, disc.Amount = "amount", Num{decimal.Min(decimal.NewFromInt(100), total.Div(decimal.NewFromInt(4)).Floor())}
			disc.Description = "Early payment"
			total = total.Sub(disc.Amount.Decimal)
		}
		discounts = append(discounts, disc)
	}
	if !noProducts {
		d.DealProducts = append(d.DealProducts, lines...)
		d.Discounts = append(d.Discounts, discounts...)
	}
	if !recurring && g.chance(5) {
		half := total.Div(decimal.NewFromInt(2)).Round(2)
		base := *deal.ExpectedCloseDate
		due, _ := time.Parse(time.DateOnly, base)
		for k, amount := range []decimal.Decimal{half, total.Sub(half)} {
			d.Installments = append(d.Installments, Installment{ID: int64(len(d.Installments) + 1), Amount: Num{amount},
				BillingDate: due.AddDate(0, k, 0).Format(time.DateOnly), DealID: deal.ID,
				Description: fmt.Sprintf("Instalment %d of 2", k+1)})
		}
	}
	deal.Value = Num{total}
	if taxMethod == "exclusive" && deal.ID%3 == 0 && !noProducts {
		deal.Value = Num{total.Add(taxOnTop(lines, linesTotal.Sub(total)))}
	}
}

// taxOnTop is the tax of tax-exclusive lines: each line's sum less its share of the deal discount (in
// proportion to the sums, the last line taking the remainder), at its rate, rounded per line.
func taxOnTop(lines []DealProduct, discount decimal.Decimal) decimal.Decimal {
	sub := decimal.Zero
	for _, l := range lines {
		sub = sub.Add(l.Sum.Decimal)
	}
	tax, given := decimal.Zero, decimal.Zero
	for i, l := range lines {
		share := decimal.Zero
		if !sub.IsZero() {
			share = discount.Mul(l.Sum.Decimal).DivRound(sub, 2)
		}
		if i == len(lines)-1 {
			share = discount.Sub(given)
		}
		given = given.Add(share)
		tax = tax.Add(l.Sum.Sub(share).Mul(l.Tax.Decimal).Div(decimal.NewFromInt(100)).Round(2))
	}
	return tax
}

func indexOfCode(code string) int {
	for i, c := range catalogue {
		if c.code == code {
			return i
		}
	}
	panic("pipedrivefake: no catalogue item " + code)
}

func (g *generator) uuid() string {
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", g.r.Uint32(), g.r.IntN(1<<16), g.r.IntN(1<<12),
		0x8000|g.r.IntN(1<<14), g.r.Int64N(1<<48))
}
