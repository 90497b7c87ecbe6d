package qbofake

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// company is the fake's in-memory QuickBooks company. Its methods assume the
// server's lock is held.
type company struct {
	now func() time.Time

	name          string
	country       string
	home          string
	multiCurrency bool
	customNumbers bool
	salesTax      bool
	defaultItem   string
	defaultTerms  string
	taxGroup      string // US: default TxnTaxCodeRef

	nextID    int
	customers map[string]*Customer
	items     map[string]*Item
	taxCodes  map[string]*TaxCode
	taxRates  map[string]*TaxRate
	terms     map[string]*Term
	invoices  map[string]*Invoice
	payments  map[string]*Payment
	deleted   []deletion
}

// deletion remembers a deleted object for CDC.
type deletion struct {
	entity string
	id     string
	at     time.Time
}

func newCompany(opts Options) *company {
	return &company{
		now:           opts.Now,
		name:          opts.CompanyName,
		country:       opts.Country,
		home:          opts.HomeCurrency,
		multiCurrency: opts.MultiCurrency,
		customNumbers: opts.CustomTxnNumbers,
		salesTax:      true,
		nextID:        1,
		customers:     map[string]*Customer{},
		items:         map[string]*Item{},
		taxCodes:      map[string]*TaxCode{},
		taxRates:      map[string]*TaxRate{},
		terms:         map[string]*Term{},
		invoices:      map[string]*Invoice{},
		payments:      map[string]*Payment{},
	}
}

func (co *company) us() bool { return co.country == "US" }

func (co *company) newID() string {
	id := strconv.Itoa(co.nextID)
	co.nextID++
	return id
}

// metaTime formats a timestamp as QuickBooks does in MetaData.
func metaTime(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

func (co *company) newMeta() *MetaData {
	t := metaTime(co.now())
	return &MetaData{CreateTime: t, LastUpdatedTime: t}
}

func (co *company) touch(m *MetaData) { m.LastUpdatedTime = metaTime(co.now()) }

func (co *company) today() string { return co.now().Format(time.DateOnly) }

func bumpToken(tok string) string {
	n, _ := strconv.Atoi(tok)
	return strconv.Itoa(n + 1)
}

func ptrTrue() *bool { t := true; return &t }

func active(b *bool) bool { return b == nil || *b }

var currencyNames = map[string]string{
	"USD": "United States Dollar", "EUR": "Euro", "GBP": "British Pound Sterling", "SEK": "Swedish Krona",
	"CAD": "Canadian Dollar", "AUD": "Australian Dollar", "JPY": "Japanese Yen", "CHF": "Swiss Franc",
}

// dollarRates are the fake's fixed market rates: US dollars per unit of
// each currency in currencyNames.
var dollarRates = map[string]decimal.Decimal{
	"USD": decimal.NewFromInt(1), "EUR": decimal.RequireFromString("1.08"), "GBP": decimal.RequireFromString("1.27"),
	"SEK": decimal.RequireFromString("0.095"), "CAD": decimal.RequireFromString("0.73"), "AUD": decimal.RequireFromString("0.66"),
	"JPY": decimal.RequireFromString("0.0067"), "CHF": decimal.RequireFromString("1.13"),
}

// exchangeRate is what QuickBooks fills in when a transaction in a foreign
// currency comes without an ExchangeRate: home-currency units per unit of
// code, from the fake's market rates.
func (co *company) exchangeRate(code string) decimal.Decimal {
	home, known := dollarRates[co.home]
	if !known {
		return decimal.NewFromInt(1)
	}
	rate := dollarRates[code].DivRound(home, 6)
	return decimal.RequireFromString(rate.String()) // without trailing zeros, as QuickBooks writes rates
}

// currencyPlaces is the number of decimals amounts in a currency carry.
func currencyPlaces(code string) int32 {
	if code == "JPY" {
		return 0
	}
	return 2
}

// checkCurrency validates a transaction or customer currency for the company.
func (co *company) checkCurrency(code string) *apiError {
	name, known := currencyNames[code]
	switch {
	case !known || name == "":
		return errInvalidRef("CurrencyRef", code)
	case !co.multiCurrency && code != co.home:
		return errBusiness(fmt.Sprintf("Multicurrency is not enabled for this company; the currency must be %s.", co.home))
	}
	return nil
}

// --- customers ---

func (co *company) addCustomer(c Customer) (*Customer, *apiError) {
	if c.DisplayName == "" {
		c.DisplayName = strings.TrimSpace(c.GivenName + " " + c.FamilyName)
	}
	if c.DisplayName == "" {
		c.DisplayName = c.CompanyName
	}
	if c.DisplayName == "" {
		return nil, validation("6080", "No Name Provided", "Title, GivenName, MiddleName, FamilyName, DisplayName, Suffix - one of these must be non-empty", "")
	}
	if c.CurrencyRef == nil {
		c.CurrencyRef = &Ref{Value: co.home}
	}
	if err := co.checkCurrency(c.CurrencyRef.Value); err != nil {
		return nil, err
	}
	c.CurrencyRef.Name = currencyNames[c.CurrencyRef.Value]
	c.ID, c.SyncToken, c.Domain, c.MetaData = co.newID(), "0", "QBO", co.newMeta()
	if err := co.checkCustomer(&c); err != nil {
		return nil, err
	}
	if c.Active == nil {
		c.Active = ptrTrue()
	}
	co.customers[c.ID] = &c
	co.refreshBalance(c.ID)
	return &c, nil
}

// checkCustomer applies the rules shared by create and update.
func (co *company) checkCustomer(c *Customer) *apiError {
	if strings.ContainsAny(c.DisplayName, ":\t\n") {
		return errBusiness("DisplayName cannot contain a colon, tab or newline.")
	}
	for _, o := range co.customers {
		if o.ID != c.ID && strings.EqualFold(strings.TrimSpace(o.DisplayName), strings.TrimSpace(c.DisplayName)) {
			return errDuplicateName()
		}
	}
	if e := c.PrimaryEmailAddr; e != nil && e.Address != "" && !validEmail(e.Address) {
		return errBusiness("Invalid Email Address format: " + e.Address)
	}
	if c.SalesTermRef != nil && co.terms[c.SalesTermRef.Value] == nil {
		return errInvalidRef("SalesTermRef", c.SalesTermRef.Value)
	}
	c.FullyQualifiedName, c.PrintOnCheckName = c.DisplayName, c.DisplayName
	return nil
}

func validEmail(s string) bool {
	at := strings.Index(s, "@")
	return at > 0 && strings.Contains(s[at:], ".") && !strings.ContainsAny(s, " ,;")
}

func (co *company) updateCustomer(body map[string]json.RawMessage) (*Customer, *apiError) {
	id, tok, err := idAndToken(body)
	if err != nil {
		return nil, err
	}
	cur := co.customers[id]
	if cur == nil {
		return nil, errNotFound()
	}
	if tok != cur.SyncToken {
		return nil, errStale()
	}
	next, err := merge(cur, body, isSparse(body))
	if err != nil {
		return nil, err
	}
	if next.CurrencyRef == nil || next.CurrencyRef.Value != cur.CurrencyRef.Value {
		return nil, errBusiness("You can't change the currency of a customer once it has been set.")
	}
	if err := co.checkCustomer(next); err != nil {
		return nil, err
	}
	next.ID, next.Domain, next.Sparse, next.MetaData = cur.ID, "QBO", false, cur.MetaData
	next.SyncToken = bumpToken(cur.SyncToken)
	co.touch(next.MetaData)
	co.customers[id] = next
	co.refreshBalance(id)
	return next, nil
}

// refreshBalance sets a customer's Balance to the sum of its open invoices.
func (co *company) refreshBalance(customerID string) {
	c := co.customers[customerID]
	if c == nil {
		return
	}
	sum := decimal.Zero
	for _, inv := range co.invoices {
		if inv.CustomerRef.Value == customerID {
			sum = sum.Add(inv.Balance.dec())
		}
	}
	c.Balance, c.BalanceWithJobs = num(sum.Round(2)), num(sum.Round(2))
}

// --- shared update helpers ---

// idAndToken reads Id and SyncToken from an update body.
func idAndToken(body map[string]json.RawMessage) (id, syncToken string, err *apiError) {
	for _, f := range []struct {
		key string
		dst *string
	}{{"Id", &id}, {"SyncToken", &syncToken}} {
		raw, ok := body[f.key]
		if !ok || json.Unmarshal(raw, f.dst) != nil || *f.dst == "" {
			return "", "", errRequired(f.key)
		}
	}
	return id, syncToken, nil
}

func isSparse(body map[string]json.RawMessage) bool {
	var sparse bool
	return json.Unmarshal(body["sparse"], &sparse) == nil && sparse
}

// merge applies an update body to cur: with sparse only the members present
// change; without, the body replaces the object (omitted fields are cleared).
func merge[T any](cur *T, body map[string]json.RawMessage, sparse bool) (*T, *apiError) {
	m := map[string]json.RawMessage{}
	if sparse {
		b, _ := json.Marshal(cur)
		_ = json.Unmarshal(b, &m)
	}
	for k, v := range body {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	var next T
	if err := json.Unmarshal(b, &next); err != nil {
		return nil, errBadRequest(err.Error())
	}
	return &next, nil
}

// --- lists ---

// sortedIDs returns the keys of m in Id order (numeric ids by value).
func sortedIDs[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return lessID(ids[i], ids[j]) })
	return ids
}

func lessID(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// objects returns an entity's objects, in Id order.
func (co *company) objects(entity string) []any {
	switch entity {
	case "Customer":
		return inOrder(co.customers)
	case "Item":
		return inOrder(co.items)
	case "TaxCode":
		return inOrder(co.taxCodes)
	case "TaxRate":
		return inOrder(co.taxRates)
	case "Term":
		return inOrder(co.terms)
	case "Invoice":
		return inOrder(co.invoices)
	case "Payment":
		return inOrder(co.payments)
	case "CompanyInfo":
		return []any{co.companyInfo()}
	case "Preferences":
		return []any{co.preferences()}
	}
	return nil
}

func inOrder[T any](m map[string]*T) []any {
	out := make([]any, 0, len(m))
	for _, id := range sortedIDs(m) {
		out = append(out, m[id])
	}
	return out
}

// lookup returns one object by its URL resource name and Id, or nil.
func (co *company) lookup(resource, id string) any {
	switch resource {
	case "customer":
		return found(co.customers, id)
	case "item":
		return found(co.items, id)
	case "taxcode":
		return found(co.taxCodes, id)
	case "taxrate":
		return found(co.taxRates, id)
	case "term":
		return found(co.terms, id)
	case "invoice":
		return found(co.invoices, id)
	case "payment":
		return found(co.payments, id)
	}
	return nil
}

// found returns m[id] as an interface that is nil when the object is missing.
func found[T any](m map[string]*T, id string) any {
	if v := m[id]; v != nil {
		return v
	}
	return nil
}

func (co *company) companyInfo() map[string]any {
	addr := map[string]any{"Id": "1", "Line1": "1 Market Street", "City": "San Francisco",
		"CountrySubDivisionCode": "CA", "PostalCode": "94105", "Country": co.country}
	if !co.us() {
		addr = map[string]any{"Id": "1", "Line1": "1 Keizersgracht", "City": "Amsterdam", "PostalCode": "1015 CJ", "Country": co.country}
	}
	return map[string]any{
		"Id": "1", "SyncToken": "1", "domain": "QBO", "sparse": false,
		"CompanyName": co.name, "LegalName": co.name, "Country": co.country,
		"CompanyAddr": addr, "LegalAddr": addr,
		"Email":                map[string]any{"Address": "billing@example.com"},
		"FiscalYearStartMonth": "January", "SupportedLanguages": "en",
		"NameValue": []map[string]string{{"Name": "OfferingSku", "Value": "QuickBooks Online Plus"}, {"Name": "SubscriptionStatus", "Value": "PAID"}},
		"MetaData":  map[string]string{"CreateTime": "2024-01-02T09:00:00-08:00", "LastUpdatedTime": "2024-01-02T09:00:00-08:00"},
	}
}

func (co *company) preferences() map[string]any {
	tax := map[string]any{"UsingSalesTax": co.salesTax}
	if co.taxGroup != "" {
		tax["TaxGroupCodeRef"] = map[string]string{"value": co.taxGroup}
	}
	sales := map[string]any{
		"CustomTxnNumbers": co.customNumbers, "AllowDeposit": false, "AllowDiscount": true,
		"AllowServiceDate": false, "DefaultCustomerMessage": "Thank you for your business.",
	}
	if co.defaultTerms != "" {
		sales["DefaultTerms"] = map[string]string{"value": co.defaultTerms}
	}
	return map[string]any{
		"Id": "1", "SyncToken": "1", "domain": "QBO", "sparse": false,
		"SalesFormsPrefs": sales,
		"TaxPrefs":        tax,
		"CurrencyPrefs": map[string]any{
			"MultiCurrencyEnabled": co.multiCurrency,
			"HomeCurrency":         map[string]string{"value": co.home},
		},
		"OtherPrefs": map[string]any{"NameValue": []map[string]string{
			{"Name": "SalesFormsPrefs.DefaultItem", "Value": co.defaultItem},
		}},
		"MetaData": map[string]string{"CreateTime": "2024-01-02T09:00:00-08:00", "LastUpdatedTime": "2024-01-02T09:00:00-08:00"},
	}
}
