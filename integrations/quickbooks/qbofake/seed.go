package qbofake

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// seedBasics gives a new company what every QuickBooks company has: the
// default "Services" item, standard terms and the tax codes of its country.
func (co *company) seedBasics() {
	services, _ := co.addItem(Item{Name: "Services", Type: "Service", Description: "Services"})
	co.defaultItem = services.ID
	for _, t := range []struct {
		name string
		days int
	}{{"Due on receipt", 0}, {"Net 15", 15}, {"Net 30", 30}, {"Net 60", 60}} {
		term := &Term{ID: co.newID(), SyncToken: "0", Domain: "QBO", MetaData: co.newMeta(), Name: t.name, Active: ptrTrue(), Type: "STANDARD", DueDays: t.days}
		co.terms[term.ID] = term
		if t.days == 30 {
			co.defaultTerms = term.ID
		}
	}
	if co.us() {
		co.addPseudoTaxCode("TAX", "Taxable")
		co.addPseudoTaxCode("NON", "Non-taxable")
		rate := co.addTaxRate("California", "8")
		code := co.addTaxCode("California", true, rate)
		co.taxGroup = code.ID
		return
	}
	switch co.country {
	case "GB": // the VAT codes of a UK company
		co.addTaxCode("20.0% S", false, co.addTaxRate("20.0% S", "20"))
		co.addTaxCode("5.0% R", false, co.addTaxRate("5.0% R", "5"))
		co.addTaxCode("0.0% Z", false, co.addTaxRate("0.0% Z", "0"))
		co.addTaxCode("Exempt", false, co.addTaxRate("Exempt", "0"))
	case "AU": // GST
		co.addTaxCode("GST", false, co.addTaxRate("GST (sales)", "10"))
		co.addTaxCode("GST free", false, co.addTaxRate("GST free (sales)", "0"))
	default:
		co.addTaxCode("21% Standard", false, co.addTaxRate("21% Standard", "21"))
		co.addTaxCode("9% Reduced", false, co.addTaxRate("9% Reduced", "9"))
		co.addTaxCode("0% Zero-rated", false, co.addTaxRate("0% Zero-rated", "0"))
	}
}

// addPseudoTaxCode adds the US line codes TAX and NON, which QuickBooks
// lists among the tax codes with their names as Ids.
func (co *company) addPseudoTaxCode(id, desc string) {
	taxable, group := id == "TAX", false
	co.taxCodes[id] = &TaxCode{ID: id, SyncToken: "0", Domain: "QBO", MetaData: co.newMeta(), Name: id, Description: desc,
		Active: ptrTrue(), Taxable: &taxable, TaxGroup: &group}
}

func (co *company) addTaxRate(name, rate string) *TaxRate {
	r := &TaxRate{ID: co.newID(), SyncToken: "0", Domain: "QBO", MetaData: co.newMeta(), Name: name, Description: "Sales Tax",
		Active: ptrTrue(), RateValue: N(rate), AgencyRef: &Ref{Value: "1"}, SpecialTaxType: "NONE", DisplayType: "ReadOnly"}
	co.taxRates[r.ID] = r
	return r
}

func (co *company) addTaxCode(name string, group bool, rates ...*TaxRate) *TaxCode {
	tc := &TaxCode{ID: co.newID(), SyncToken: "0", Domain: "QBO", MetaData: co.newMeta(), Name: name, Description: name,
		Active: ptrTrue(), Taxable: ptrTrue(), TaxGroup: &group, PurchaseTaxRateList: &TaxRateList{TaxRateDetail: []TaxRateDetail{}}}
	for i, r := range rates {
		tc.SalesTaxRateList.TaxRateDetail = append(tc.SalesTaxRateList.TaxRateDetail,
			TaxRateDetail{TaxRateRef: Ref{Value: r.ID, Name: r.Name}, TaxTypeApplicable: "TaxOnAmount", TaxOrder: i})
	}
	co.taxCodes[tc.ID] = tc
	return tc
}

func (co *company) addItem(it Item) (*Item, *apiError) {
	if it.Name == "" {
		return nil, errRequired("Name")
	}
	for _, o := range co.items {
		if strings.EqualFold(o.Name, it.Name) {
			return nil, errDuplicateName()
		}
	}
	if it.Type == "" {
		it.Type = "Service"
	}
	it.ID, it.SyncToken, it.Domain, it.MetaData, it.FullyQualifiedName = co.newID(), "0", "QBO", co.newMeta(), it.Name
	if it.Active == nil {
		it.Active = ptrTrue()
	}
	co.items[it.ID] = &it
	return &it, nil
}

// clone deep-copies an object so callers never share the fake's state.
func clone[T any](v *T) *T {
	b, _ := json.Marshal(v)
	var out T
	_ = json.Unmarshal(b, &out)
	return &out
}

// asError turns a nil *apiError into a nil error.
func asError(e *apiError) error {
	if e == nil {
		return nil
	}
	return e
}

// AddCustomer adds a customer under the rules of a create.
func (s *Server) AddCustomer(c Customer) (*Customer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, err := s.co.addCustomer(c)
	if err != nil {
		return nil, err
	}
	return clone(out), nil
}

// AddItem adds an item; names are unique.
func (s *Server) AddItem(it Item) (*Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, err := s.co.addItem(it)
	if err != nil {
		return nil, err
	}
	return clone(out), nil
}

// AddInvoice adds an invoice under the rules of a create.
func (s *Server) AddInvoice(inv Invoice) (*Invoice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, err := s.co.addInvoice(inv)
	if err != nil {
		return nil, err
	}
	return clone(out), nil
}

// RecordPayment applies a payment of amount (full or partial) to an invoice,
// which then reads as Paid or Partially paid.
func (s *Server) RecordPayment(invoiceID string, amount decimal.Decimal) (*Payment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.co.recordPayment(invoiceID, amount)
	if err != nil {
		return nil, err
	}
	return clone(p), nil
}

// SendInvoice e-mails the invoice, to sendTo when given (else its BillEmail), as the send operation does.
func (s *Server) SendInvoice(id, sendTo string) (*Invoice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, err := s.co.sendInvoice(id, sendTo)
	if err != nil {
		return nil, err
	}
	return clone(inv), nil
}

// VoidInvoice voids the invoice as the void operation does.
func (s *Server) VoidInvoice(id string) (*Invoice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv, err := s.co.voidInvoice(idToken(id, s.co.syncToken(id)))
	if err != nil {
		return nil, err
	}
	return clone(inv), nil
}

// DeleteInvoice deletes the invoice as the delete operation does; change data capture then reports it deleted.
func (s *Server) DeleteInvoice(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return asError(errOf(s.co.deleteInvoice(idToken(id, s.co.syncToken(id)))))
}

// syncToken is the invoice's current SyncToken, "" when there is no such invoice.
func (co *company) syncToken(id string) string {
	if inv := co.invoices[id]; inv != nil {
		return inv.SyncToken
	}
	return ""
}

// Invoice returns the stored invoice, or false if there is none (or it was deleted).
func (s *Server) Invoice(id string) (*Invoice, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv := s.co.invoices[id]
	if inv == nil {
		return nil, false
	}
	return clone(inv), true
}

// Invoices returns every stored invoice, in Id order.
func (s *Server) Invoices() []Invoice {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Invoice
	for _, id := range sortedIDs(s.co.invoices) {
		out = append(out, *clone(s.co.invoices[id]))
	}
	return out
}

// Customers returns every customer, in Id order.
func (s *Server) Customers() []Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Customer
	for _, id := range sortedIDs(s.co.customers) {
		out = append(out, *clone(s.co.customers[id]))
	}
	return out
}

// Items returns every item, in Id order.
func (s *Server) Items() []Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Item
	for _, id := range sortedIDs(s.co.items) {
		out = append(out, *clone(s.co.items[id]))
	}
	return out
}

// DefaultItemID returns the Id of the "Services" item.
func (s *Server) DefaultItemID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.co.defaultItem
}

// TaxCodeID returns the Id of the tax code with this name ("" if none).
func (s *Server) TaxCodeID(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tc := range s.co.taxCodes {
		if tc.Name == name {
			return tc.ID
		}
	}
	return ""
}

func idToken(id, syncToken string) map[string]json.RawMessage {
	return map[string]json.RawMessage{"Id": json.RawMessage(fmt.Sprintf("%q", id)), "SyncToken": json.RawMessage(fmt.Sprintf("%q", syncToken))}
}

// SeedDemo fills the company for the demo workspace: customers, items, and
// invoices in every status (open, sent, paid, partially paid, overdue,
// voided, deleted), dated around the fake's today. With MultiCurrency on,
// the customers and their invoices are in USD, EUR, GBP and SEK; foreign
// invoices get the fake's exchange rate.
func (s *Server) SeedDemo() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.co
	for _, it := range []Item{
		// The SKUs of Consulting, Implementation and Training day are codes of pipedrivefake's catalogue
		// (CONS-HR, IMPL-PKG, TRN-DAY) under other names; Support plan's is not; Barcode scanner X200 has
		// no SKU but the catalogue's name.
		{Name: "Consulting", Sku: "CONS-HR", Type: "Service", Description: "Consulting (hourly)", UnitPrice: N("150.00")},
		{Name: "Implementation", Sku: "IMPL-PKG", Type: "Service", Description: "Implementation package", UnitPrice: N("2500.00")},
		{Name: "Support plan", Sku: "SUP-STD", Type: "Service", Description: "Support plan (monthly)", UnitPrice: N("99.00")},
		{Name: "Training day", Sku: "TRN-DAY", Type: "Service", Description: "On-site training day", UnitPrice: N("1200.00")},
		{Name: "Barcode scanner X200", Type: "NonInventory", Description: "Barcode scanner X200", UnitPrice: N("329.99")},
	} {
		if _, err := co.addItem(it); err != nil {
			return err
		}
	}
	customers := map[string]*Customer{}
	for _, c := range []struct {
		Customer
		currency string // with multicurrency on; else the home currency
	}{
		{Customer{DisplayName: "Acme Corporation", CompanyName: "Acme Corporation", GivenName: "Wile", FamilyName: "Coyote",
			PrimaryEmailAddr: &Email{"billing@acme.example"}, BillAddr: &Address{Line1: "1 Desert Road", City: "Phoenix", CountrySubDivisionCode: "AZ", PostalCode: "85001", Country: "US"}}, "USD"},
		{Customer{DisplayName: "Globex BV", CompanyName: "Globex BV", PrimaryEmailAddr: &Email{"finance@globex.example"},
			BillAddr: &Address{Line1: "Herengracht 100", City: "Amsterdam", PostalCode: "1015 BS", Country: "NL"}, PrimaryTaxIdentifier: "NL123456789B01"}, "EUR"},
		{Customer{DisplayName: "Initech", CompanyName: "Initech", PrimaryEmailAddr: &Email{"ap@initech.example"},
			BillAddr: &Address{Line1: "4120 Freidrich Lane", City: "Austin", CountrySubDivisionCode: "TX", PostalCode: "78744", Country: "US"}}, "USD"},
		{Customer{DisplayName: "Umbrella Health", CompanyName: "Umbrella Health", PrimaryEmailAddr: &Email{"invoices@umbrella.example"},
			BillAddr: &Address{Line1: "10 Raccoon Street", City: "London", PostalCode: "EC1A 1BB", Country: "GB"}}, "GBP"},
		{Customer{DisplayName: "Stark Industries", CompanyName: "Stark Industries", PrimaryEmailAddr: &Email{"pepper@stark.example"}}, "USD"},
		{Customer{DisplayName: "Wayne Enterprises", CompanyName: "Wayne Enterprises", PrimaryEmailAddr: &Email{"lucius@wayne.example"}}, "USD"},
		{Customer{DisplayName: "Nordvik AB", CompanyName: "Nordvik AB", PrimaryEmailAddr: &Email{"faktura@nordvik.example"},
			BillAddr: &Address{Line1: "Drottninggatan 5", City: "Stockholm", PostalCode: "111 51", Country: "SE"}}, "SEK"},
	} {
		if co.multiCurrency {
			c.CurrencyRef = &Ref{Value: c.currency}
		}
		out, err := co.addCustomer(c.Customer)
		if err != nil {
			return err
		}
		customers[c.DisplayName] = out
	}
	today := co.now()
	day := func(offset int) string { return today.AddDate(0, 0, offset).Format(time.DateOnly) }
	line := func(item string, qty, price string) Line {
		var itemID string
		for _, it := range co.items {
			if it.Name == item {
				itemID = it.ID
			}
		}
		d := &SalesItemLineDetail{ItemRef: &Ref{Value: itemID}, Qty: N(qty), UnitPrice: N(price)}
		if co.us() {
			d.TaxCodeRef = &Ref{Value: "TAX"}
		} else {
			for _, tc := range co.taxCodes {
				if strings.HasPrefix(tc.Name, "21%") {
					d.TaxCodeRef = &Ref{Value: tc.ID}
				}
			}
		}
		return Line{DetailType: "SalesItemLineDetail", Description: co.items[itemID].Description, SalesItemLineDetail: d}
	}
	add := func(cust string, txn, due int, lines ...Line) (*Invoice, error) {
		c := customers[cust]
		inv := Invoice{CustomerRef: &Ref{Value: c.ID}, CurrencyRef: &Ref{Value: c.CurrencyRef.Value},
			TxnDate: day(txn), DueDate: day(due), Line: lines}
		if !co.us() {
			inv.GlobalTaxCalculation = "TaxExcluded"
		}
		out, err := co.addInvoice(inv)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	steps := []func() error{
		func() error { // open
			_, err := add("Acme Corporation", -5, 25, line("Consulting", "12", "150.00"), line("Support plan", "3", "99.00"))
			return err
		},
		func() error { // open and e-mailed
			inv, err := add("Initech", -2, 28, line("Implementation", "1", "2500.00"))
			if err != nil {
				return err
			}
			return asError(errOf(co.sendInvoice(inv.ID, "")))
		},
		func() error { // paid
			inv, err := add("Globex BV", -40, -10, line("Training day", "2", "1200.00"))
			if err != nil {
				return err
			}
			return asError(errOf(co.recordPayment(inv.ID, inv.Balance.Decimal)))
		},
		func() error { // open with a deposit taken on the invoice: not a payment
			c := customers["Initech"]
			inv := Invoice{CustomerRef: &Ref{Value: c.ID}, CurrencyRef: &Ref{Value: c.CurrencyRef.Value}, TxnDate: day(-1), DueDate: day(29),
				Line: []Line{line("Consulting", "8", "150.00")}, Deposit: N("300.00")}
			if !co.us() {
				inv.GlobalTaxCalculation = "TaxExcluded"
			}
			return asError(errOf(co.addInvoice(inv)))
		},
		func() error { // partially paid
			inv, err := add("Stark Industries", -10, 20, line("Consulting", "20", "150.00"))
			if err != nil {
				return err
			}
			return asError(errOf(co.recordPayment(inv.ID, inv.Balance.Div(decimal.NewFromInt(2)).Round(2))))
		},
		func() error { // open, in Swedish kronor with multicurrency on
			_, err := add("Nordvik AB", -3, 27, line("Consulting", "10", "1500.00"))
			return err
		},
		func() error { // overdue
			_, err := add("Umbrella Health", -45, -15, line("Support plan", "12", "99.00"))
			return err
		},
		func() error { // overdue and partially paid
			inv, err := add("Acme Corporation", -60, -30, line("Implementation", "1", "2500.00"))
			if err != nil {
				return err
			}
			return asError(errOf(co.recordPayment(inv.ID, decimal.NewFromInt(1000))))
		},
		func() error { // voided
			inv, err := add("Wayne Enterprises", -20, 10, line("Consulting", "4", "150.00"))
			if err != nil {
				return err
			}
			return asError(errOf(co.voidInvoice(idToken(inv.ID, inv.SyncToken))))
		},
		func() error { // deleted
			inv, err := add("Initech", -15, 15, line("Training day", "1", "1200.00"))
			if err != nil {
				return err
			}
			return asError(errOf(co.deleteInvoice(idToken(inv.ID, inv.SyncToken))))
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// errOf keeps the error of a (result, error) pair.
func errOf[T any](_ T, err *apiError) *apiError { return err }

var appInvoiceTmpl = template.Must(template.New("invoice").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Invoice {{.DocNumber}} (fake QuickBooks)</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Invoice {{.DocNumber}}</h1>
<p>{{.CustomerRef.Name}}<br>Date {{.TxnDate}}, due {{.DueDate}}</p>
<p>Total {{.TotalAmt.StringFixed 2}} {{.CurrencyRef.Value}}, balance {{.Balance.StringFixed 2}}</p>
{{if .PrivateNote}}<p>Memo: {{.PrivateNote}}</p>{{end}}
</body></html>
`))

// appInvoice stands in for the QuickBooks web app's invoice page, the
// target of deep links.
func (s *Server) appInvoice(w http.ResponseWriter, r *http.Request) {
	inv, ok := s.Invoice(r.URL.Query().Get("txnId"))
	if !ok {
		http.Error(w, "This transaction does not exist or was deleted.", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = appInvoiceTmpl.Execute(w, inv)
}
