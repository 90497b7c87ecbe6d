package adapters

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"dealbooks/internal/clock"
	"dealbooks/internal/testkit"

	"golang.org/x/oauth2"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
)

func mustCustomer(t testing.TB, e *qbEnv, name string) invoicing.QBCustomer {
	t.Helper()
	c, err := e.acct.CreateCustomer(context.Background(), invoicing.NewCustomer{DisplayName: name, Email: "ap@example.com"}, "cust-"+name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// simpleInvoice is a one-line invoice for the customer.
func simpleInvoice(e *qbEnv, customerID, docNumber string) invoicing.InvoiceRequest {
	return invoicing.InvoiceRequest{
		CustomerID: customerID,
		DocNumber:  docNumber,
		BillEmail:  "ap@example.com",
		Lines: []invoicing.InvoiceLine{{ItemID: e.fake.DefaultItemID(), Description: "Consulting",
			Quantity: testkit.Dec("1"), UnitPrice: testkit.Dec("100"), Amount: testkit.Dec("100"), TaxCode: "NON"}},
	}
}

func mustInvoice(t testing.TB, e *qbEnv, req invoicing.InvoiceRequest, requestID string) invoicing.Invoice {
	t.Helper()
	inv, err := e.acct.CreateInvoice(context.Background(), req, requestID)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestCompanyAndReferenceData(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{CompanyName: "Harbor Lights", CustomTxnNumbers: true})
	ctx := context.Background()
	c, err := e.acct.Company(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := invoicing.Company{RealmID: e.fake.RealmID(), Name: "Harbor Lights", Country: "US", HomeCurrency: "USD",
		TaxModel: invoicing.TaxUS, CustomTxnNumbers: true, DefaultItemID: e.fake.DefaultItemID(), DefaultTaxCode: e.fake.TaxCodeID("California")}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("company = %+v, want %+v", c, want)
	}
	items, err := e.acct.Items(ctx)
	if err != nil || !slices.Contains(items, invoicing.Item{ID: e.fake.DefaultItemID(), Name: "Services"}) {
		t.Errorf("items = %v, %v: want Services", items, err)
	}
	codes, err := e.acct.TaxCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rates := map[string]string{}
	for _, tc := range codes {
		rates[tc.Name] = tc.Rate.String()
	}
	if rates["California"] != "8" || rates["TAX"] != "0" || rates["NON"] != "0" {
		t.Errorf("tax code rates = %v, want California 8, TAX and NON 0", rates)
	}
}

func TestGlobalCompanyTaxCodes(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{Country: "NL", MultiCurrency: true})
	ctx := context.Background()
	c, err := e.acct.Company(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.TaxModel != invoicing.TaxGlobal || c.HomeCurrency != "EUR" || !c.MultiCurrency {
		t.Errorf("company = %+v, want a multicurrency EUR company with global tax", c)
	}
	codes, err := e.acct.TaxCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := invoicing.TaxCode{ID: e.fake.TaxCodeID("21% Standard"), Name: "21% Standard", Rate: testkit.Dec("21")}
	if i := slices.IndexFunc(codes, func(tc invoicing.TaxCode) bool { return tc.ID == want.ID }); i < 0 || codes[i].Name != want.Name || !codes[i].Rate.Equal(want.Rate) {
		t.Errorf("tax codes = %v, want %v", codes, want)
	}
}

func TestCustomers(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	ctx := context.Background()
	created, err := e.acct.CreateCustomer(ctx, invoicing.NewCustomer{
		DisplayName: "Blue Labs Inc.", Email: "ap@bluelabs.com",
		Address: "5 5th Avenue, New York, NY 10036, United States", TaxID: "12-3456789",
	}, "req-create")
	if err != nil {
		t.Fatal(err)
	}
	want := invoicing.QBCustomer{ID: created.ID, SyncToken: "0", DisplayName: "Blue Labs Inc.", Email: "ap@bluelabs.com",
		Address: "5 5th Avenue, New York, NY 10036, United States", TaxID: "12-3456789", Currency: "USD"}
	if created != want {
		t.Errorf("created = %+v, want %+v", created, want)
	}
	stored := e.fake.Customers()[0].BillAddr
	if stored.Line1 != "5 5th Avenue" || stored.Line2 != "New York" || stored.Line3 != "NY 10036, United States" {
		t.Errorf("BillAddr = %+v, want the address over three lines", stored)
	}

	updated, err := e.acct.UpdateCustomer(ctx, created.ID, created.SyncToken, invoicing.CustomerChanges{Email: "billing@bluelabs.com"}, "req-update")
	if err != nil {
		t.Fatal(err)
	}
	if updated.Email != "billing@bluelabs.com" || updated.Address != want.Address || updated.TaxID != want.TaxID || updated.SyncToken == created.SyncToken {
		t.Errorf("after a sparse e-mail update: %+v", updated)
	}
	read, err := e.acct.Customer(ctx, created.ID)
	if err != nil || read != updated {
		t.Errorf("Customer = %+v, %v; want %+v", read, err, updated)
	}
	if _, err := e.acct.Customer(ctx, "9999"); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("missing customer: %v, want ErrNotFound", err)
	}

	inactive := false
	if _, err := e.fake.AddCustomer(qbofake.Customer{DisplayName: "Gone Ltd", Active: &inactive}); err != nil {
		t.Fatal(err)
	}
	all, err := e.acct.Customers(ctx)
	if err != nil || len(all) != 1 || all[0] != updated {
		t.Errorf("Customers = %+v, %v; want only the active one", all, err)
	}
}

func TestStaleSyncToken(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	ctx := context.Background()
	c := mustCustomer(t, e, "Acme")
	if _, err := e.acct.UpdateCustomer(ctx, c.ID, c.SyncToken, invoicing.CustomerChanges{TaxID: "1"}, "u1"); err != nil {
		t.Fatal(err)
	}
	_, err := e.acct.UpdateCustomer(ctx, c.ID, c.SyncToken, invoicing.CustomerChanges{TaxID: "2"}, "u2")
	if !errors.Is(err, invoicing.ErrStale) {
		t.Errorf("customer update with an old SyncToken: %v, want ErrStale", err)
	}
	inv := mustInvoice(t, e, simpleInvoice(e, c.ID, ""), "inv")
	if _, err := e.acct.SendInvoice(ctx, inv.ID, "ap@example.com", "send"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.acct.VoidInvoice(ctx, inv.ID, inv.SyncToken, "void"); !errors.Is(err, invoicing.ErrStale) {
		t.Errorf("void with an old SyncToken: %v, want ErrStale", err)
	}
	if err := e.acct.DeleteInvoice(ctx, inv.ID, inv.SyncToken, "delete"); !errors.Is(err, invoicing.ErrStale) {
		t.Errorf("delete with an old SyncToken: %v, want ErrStale", err)
	}
}

func TestDuplicates(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	ctx := context.Background()
	c := mustCustomer(t, e, "Acme")
	_, err := e.acct.CreateCustomer(ctx, invoicing.NewCustomer{DisplayName: "Acme"}, "again")
	var dn *invoicing.DuplicateNameError
	if !errors.As(err, &dn) || dn.Name != "Acme" || dn.ExistingID != c.ID {
		t.Errorf("second Acme: %v (%+v), want a DuplicateNameError naming customer %s", err, dn, c.ID)
	}

	first := mustInvoice(t, e, simpleInvoice(e, c.ID, "PD-1000"), "first")
	_, err = e.acct.CreateInvoice(ctx, simpleInvoice(e, c.ID, "PD-1000"), "second")
	var dd *invoicing.DuplicateNumberError
	if !errors.As(err, &dd) || dd.Number != "PD-1000" || dd.ExistingID != first.ID || dd.ExistingType != "Invoice" {
		t.Errorf("second PD-1000: %v (%+v), want a DuplicateNumberError naming invoice %s", err, dd, first.ID)
	}
}

func TestProviderFault(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	c := mustCustomer(t, e, "Acme")
	req := simpleInvoice(e, c.ID, "")
	req.Lines[0].ItemID = "4242"
	_, err := e.acct.CreateInvoice(context.Background(), req, "bad-item")
	var pe *invoicing.ProviderError
	if !errors.As(err, &pe) || pe.Provider != "QuickBooks" || pe.Code != "2500" || !strings.Contains(pe.Message, "ItemRef") {
		t.Errorf("unknown item: %v, want a QuickBooks ProviderError 2500 about ItemRef", err)
	}
}

// A US invoice: lines with items, quantities, prices and TAX/NON, the
// deal discount as an amount, a transaction tax code and every header field.
func TestCreateInvoiceUS(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{CustomTxnNumbers: true})
	c := mustCustomer(t, e, "Acme")
	scanner, err := e.fake.AddItem(qbofake.Item{Name: "Barcode scanner X200"})
	if err != nil {
		t.Fatal(err)
	}
	california := e.fake.TaxCodeID("California")
	req := invoicing.InvoiceRequest{
		CustomerID: c.ID, Currency: "USD", DocNumber: "PD-1042",
		IssueDate: invoicing.NewDate(2026, time.March, 13), DueDate: invoicing.NewDate(2026, time.March, 20),
		PrivateNote: "Deal 42", CustomerMemo: "Thank you", BillEmail: "billing@acme.com",
		Lines: []invoicing.InvoiceLine{
			{ItemID: scanner.ID, Description: "Barcode scanner X200", Quantity: testkit.Dec("3"), UnitPrice: testkit.Dec("329.99"), Amount: testkit.Dec("989.97"), TaxCode: "TAX"},
			{ItemID: e.fake.DefaultItemID(), Description: "Consulting hour\nOn site", Quantity: testkit.Dec("2.5"), UnitPrice: testkit.Dec("150"), Amount: testkit.Dec("375.00"), TaxCode: "NON"},
		},
		Discount:   testkit.Dec("50"),
		TxnTaxCode: california,
	}
	got := mustInvoice(t, e, req, "create-1")

	inv, ok := e.fake.Invoice(got.ID)
	if !ok {
		t.Fatalf("invoice %s is not in the fake", got.ID)
	}
	if inv.CustomerRef.Value != c.ID || inv.DocNumber != "PD-1042" || inv.TxnDate != "2026-03-13" || inv.DueDate != "2026-03-20" ||
		inv.PrivateNote != "Deal 42" || inv.CustomerMemo == nil || inv.CustomerMemo.Value != "Thank you" ||
		inv.BillEmail == nil || inv.BillEmail.Address != "billing@acme.com" || inv.CurrencyRef.Value != "USD" ||
		inv.TxnTaxDetail.TxnTaxCodeRef == nil || inv.TxnTaxDetail.TxnTaxCodeRef.Value != california || inv.GlobalTaxCalculation != "" {
		t.Errorf("header = %+v", inv)
	}
	type line struct{ kind, item, qty, price, amount, tax, desc string }
	var lines []line
	for _, l := range inv.Line {
		got := line{kind: l.DetailType, amount: l.Amount.String(), desc: l.Description}
		if d := l.SalesItemLineDetail; d != nil {
			got.item, got.qty, got.price, got.tax = d.ItemRef.Value, d.Qty.String(), d.UnitPrice.String(), d.TaxCodeRef.Value
		}
		lines = append(lines, got)
	}
	want := []line{
		{"SalesItemLineDetail", scanner.ID, "3", "329.99", "989.97", "TAX", "Barcode scanner X200"},
		{"SalesItemLineDetail", e.fake.DefaultItemID(), "2.5", "150", "375", "NON", "Consulting hour\nOn site"},
		{kind: "DiscountLineDetail", amount: "50"},
		{kind: "SubTotalLineDetail", amount: "1364.97"},
	}
	if !slices.Equal(lines, want) {
		t.Errorf("lines =\n%v\nwant\n%v", lines, want)
	}
	// 1364.97 − 50 + 8 % of the taxable 989.97 (79.20) = 1394.17.
	if !got.Total.Equal(testkit.Dec("1394.17")) || !got.Balance.Equal(got.Total) {
		t.Errorf("total %s balance %s, want 1394.17", got.Total, got.Balance)
	}
	if got.DocNumber != "PD-1042" || got.CustomerID != c.ID || got.CustomerName != "Acme" || got.Currency != "USD" ||
		got.IssueDate != req.IssueDate || got.DueDate != req.DueDate || got.PrivateNote != "Deal 42" ||
		got.BillEmail != "billing@acme.com" || got.EmailStatus != "NotSet" || got.SyncToken != "0" || got.UpdatedAt.IsZero() {
		t.Errorf("returned invoice = %+v", got)
	}
}

func TestCreateInvoiceGlobalTax(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{Country: "NL", MultiCurrency: true})
	ctx := context.Background()
	c, err := e.acct.CreateCustomer(ctx, invoicing.NewCustomer{DisplayName: "Blue Labs B.V.", Currency: "EUR"}, "cust")
	if err != nil {
		t.Fatal(err)
	}
	standard, reduced := e.fake.TaxCodeID("21% Standard"), e.fake.TaxCodeID("9% Reduced")
	req := invoicing.InvoiceRequest{
		CustomerID: c.ID, Currency: "EUR", GlobalTaxCalculation: invoicing.TaxExcluded,
		Lines: []invoicing.InvoiceLine{
			{ItemID: e.fake.DefaultItemID(), Quantity: testkit.Dec("1"), UnitPrice: testkit.Dec("100"), Amount: testkit.Dec("100"), TaxCode: standard},
			{ItemID: e.fake.DefaultItemID(), Quantity: testkit.Dec("2"), UnitPrice: testkit.Dec("10"), Amount: testkit.Dec("20"), TaxCode: reduced},
		},
	}
	got := mustInvoice(t, e, req, "create")
	inv, _ := e.fake.Invoice(got.ID)
	if inv.GlobalTaxCalculation != "TaxExcluded" || inv.Line[0].SalesItemLineDetail.TaxCodeRef.Value != standard ||
		inv.Line[1].SalesItemLineDetail.TaxCodeRef.Value != reduced {
		t.Errorf("invoice = %+v", inv)
	}
	// 120 + 21.00 + 1.80
	if !got.Total.Equal(testkit.Dec("142.80")) || got.Currency != "EUR" {
		t.Errorf("total %s %s, want 142.80 EUR", got.Total, got.Currency)
	}
}

// The fake commits the invoice and drops the answer; the client repeats
// the request with its requestid and QuickBooks answers with the invoice
// it made. A later repeat by the Service gets the same invoice again.
func TestCreateInvoiceReplayAfterDroppedAnswer(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	c := mustCustomer(t, e, "Acme")
	e.fake.Inject(qbofake.Script{Failure: qbofake.DropResponse, Times: 1, Match: "POST /invoice"})
	first := mustInvoice(t, e, simpleInvoice(e, c.ID, ""), "dbk-replay")
	again := mustInvoice(t, e, simpleInvoice(e, c.ID, ""), "dbk-replay")
	if n := len(e.fake.Invoices()); n != 1 || first.ID != again.ID {
		t.Errorf("%d invoices in QuickBooks (ids %s, %s), want exactly one", n, first.ID, again.ID)
	}
	var dropped, replayed int
	for _, r := range e.fake.Requests() {
		if r.Dropped {
			dropped++
		}
		if r.Replayed {
			replayed++
		}
	}
	if dropped != 1 || replayed != 2 {
		t.Errorf("%d dropped and %d replayed answers, want 1 and 2", dropped, replayed)
	}
}

// Every answer dropped: the create is ErrOffline, and the invoice the
// fake committed is the one a later repeat with the request id gets.
func TestCreateInvoiceEveryAnswerLost(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	c := mustCustomer(t, e, "Acme")
	e.fake.Inject(qbofake.Script{Failure: qbofake.DropResponse, Times: quickbooks.DefaultMaxAttempts, Match: "POST /invoice"})
	_, err := e.acct.CreateInvoice(context.Background(), simpleInvoice(e, c.ID, ""), "dbk-lost")
	if !errors.Is(err, invoicing.ErrOffline) {
		t.Fatalf("err = %v, want ErrOffline", err)
	}
	inv := mustInvoice(t, e, simpleInvoice(e, c.ID, ""), "dbk-lost")
	if all := e.fake.Invoices(); len(all) != 1 || all[0].ID != inv.ID {
		t.Errorf("QuickBooks holds %d invoices, want only %s", len(all), inv.ID)
	}
}

func TestInvoiceActions(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	ctx := context.Background()
	c := mustCustomer(t, e, "Acme")

	inv := mustInvoice(t, e, simpleInvoice(e, c.ID, ""), "a")
	sent, err := e.acct.SendInvoice(ctx, inv.ID, "boss@acme.com", "send-a")
	if err != nil || sent.EmailStatus != "EmailSent" || sent.BillEmail != "boss@acme.com" {
		t.Errorf("send: %+v, %v", sent, err)
	}
	pdf, err := e.acct.InvoicePDF(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(pdf)
	pdf.Close()
	if err != nil || !strings.HasPrefix(string(body), "%PDF-") {
		t.Errorf("PDF starts %.10q, %v", body, err)
	}
	voided, err := e.acct.VoidInvoice(ctx, inv.ID, sent.SyncToken, "void-a")
	if err != nil || !voided.Total.IsZero() || !voided.Balance.IsZero() || !strings.HasPrefix(voided.PrivateNote, "Voided") {
		t.Errorf("void: %+v, %v", voided, err)
	}
	if s := voided.Status(invoicing.Today(nil)); s.State != invoicing.Voided {
		t.Errorf("voided invoice status = %+v", s)
	}

	other := mustInvoice(t, e, simpleInvoice(e, c.ID, ""), "b")
	if err := e.acct.DeleteInvoice(ctx, other.ID, other.SyncToken, "delete-b"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.acct.Invoice(ctx, other.ID); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("reading a deleted invoice: %v, want ErrNotFound", err)
	}
	if err := e.acct.DeleteInvoice(ctx, other.ID, other.SyncToken, "delete-b-again"); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("deleting it again: %v, want ErrNotFound", err)
	}
	if _, err := e.acct.InvoicePDF(ctx, other.ID); !errors.Is(err, invoicing.ErrNotFound) {
		t.Errorf("PDF of a deleted invoice: %v, want ErrNotFound", err)
	}

	paid := mustInvoice(t, e, simpleInvoice(e, c.ID, ""), "c")
	if _, err := e.fake.RecordPayment(paid.ID, testkit.Dec("40")); err != nil {
		t.Fatal(err)
	}
	now, err := e.acct.Invoice(ctx, paid.ID)
	if err != nil {
		t.Fatal(err)
	}
	err = e.acct.DeleteInvoice(ctx, paid.ID, now.SyncToken, "delete-c")
	var pe *invoicing.ProviderError
	if !errors.As(err, &pe) || pe.Code != "6000" {
		t.Errorf("deleting an invoice with a payment: %v, want a ProviderError 6000", err)
	}
}

func TestInvoicesByIDs(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	ctx := context.Background()
	c := mustCustomer(t, e, "Acme")
	var ids []string
	for i := range 3 {
		ids = append(ids, mustInvoice(t, e, simpleInvoice(e, c.ID, ""), fmt.Sprint("inv-", i)).ID)
	}
	gone, _ := e.acct.Invoice(ctx, ids[1])
	if err := e.acct.DeleteInvoice(ctx, gone.ID, gone.SyncToken, "del"); err != nil {
		t.Fatal(err)
	}
	before := e.requests()
	got, err := e.acct.InvoicesByIDs(ctx, append(ids, "9999"))
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []string
	for _, inv := range got {
		gotIDs = append(gotIDs, inv.ID)
	}
	if !slices.Equal(gotIDs, []string{ids[0], ids[2]}) || e.requests()-before != 1 {
		t.Errorf("got %v in %d requests, want %v in one", gotIDs, e.requests()-before, []string{ids[0], ids[2]})
	}
	if got, err := e.acct.InvoicesByIDs(ctx, nil); err != nil || got != nil || e.requests()-before != 1 {
		t.Errorf("no ids: %v, %v; want nothing and no request", got, err)
	}
}

func TestChangesAfterPaymentAndDelete(t *testing.T) {
	clk := clock.NewManual(time.Date(2026, time.March, 13, 10, 0, 0, 0, time.UTC))
	e := newQuickBooksEnv(t, qbofake.Options{Now: clk.Now})
	ctx := context.Background()
	c := mustCustomer(t, e, "Acme")
	paid := mustInvoice(t, e, simpleInvoice(e, c.ID, ""), "paid")
	gone := mustInvoice(t, e, simpleInvoice(e, c.ID, ""), "gone")
	still := mustInvoice(t, e, simpleInvoice(e, c.ID, ""), "still")
	clk.Advance(time.Minute)
	since := clk.Now()
	clk.Advance(time.Minute)

	if _, err := e.fake.RecordPayment(paid.ID, testkit.Dec("100")); err != nil {
		t.Fatal(err)
	}
	if err := e.acct.DeleteInvoice(ctx, gone.ID, gone.SyncToken, "del"); err != nil {
		t.Fatal(err)
	}
	before := e.requests()
	cs, err := e.acct.Changes(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.requests() - before; n != 1 {
		t.Errorf("Changes took %d requests, want 1", n)
	}
	byID := map[string]invoicing.Invoice{}
	for _, inv := range cs.Invoices {
		byID[inv.ID] = inv
	}
	if inv, ok := byID[paid.ID]; !ok || !inv.Balance.IsZero() || inv.Status(invoicing.Today(nil)).State != invoicing.Paid {
		t.Errorf("paid invoice in changes: %+v (found %v)", inv, ok)
	}
	if inv, ok := byID[gone.ID]; !ok || !inv.Deleted {
		t.Errorf("deleted invoice in changes: %+v (found %v)", inv, ok)
	}
	if _, ok := byID[still.ID]; ok {
		t.Errorf("unchanged invoice %s is among the changes", still.ID)
	}
	if !slices.Equal(cs.PaymentInvoiceIDs, []string{paid.ID}) || cs.Time.IsZero() {
		t.Errorf("payment invoices %v, time %v; want [%s] and a time", cs.PaymentInvoiceIDs, cs.Time, paid.ID)
	}
}

func TestInvoiceURL(t *testing.T) {
	for _, c := range []struct{ base, want string }{
		{quickbooks.SandboxBaseURL, "https://sandbox.qbo.intuit.com/app/invoice?txnId=42"},
		{quickbooks.ProductionBaseURL, "https://qbo.intuit.com/app/invoice?txnId=42"},
	} {
		client, err := quickbooks.New(quickbooks.Config{BaseURL: c.base, RealmID: "1", TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})})
		if err != nil {
			t.Fatal(err)
		}
		if got := NewQuickBooks(client, Options{}).InvoiceURL("42"); got != c.want {
			t.Errorf("InvoiceURL = %q, want %q", got, c.want)
		}
	}
	e := newQuickBooksEnv(t, qbofake.Options{})
	inv := mustInvoice(t, e, simpleInvoice(e, mustCustomer(t, e, "Acme").ID, ""), "link")
	resp, err := http.Get(e.acct.InvoiceURL(inv.ID))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the fake's invoice page answered %s", resp.Status)
	}
}

func TestQuickBooksOffline(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	e.srv.Close()
	ctx := context.Background()
	if _, err := e.acct.Company(ctx); !errors.Is(err, invoicing.ErrOffline) {
		t.Errorf("Company: %v, want ErrOffline", err)
	}
	if _, err := e.acct.CreateInvoice(ctx, simpleInvoice(e, "1", ""), "offline"); !errors.Is(err, invoicing.ErrOffline) {
		t.Errorf("CreateInvoice: %v, want ErrOffline", err)
	}
}

func TestQuickBooksServerErrorsAreOffline(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	e.fake.Inject(qbofake.Script{Failure: qbofake.ServerError, Times: quickbooks.DefaultMaxAttempts, Match: "GET /preferences"})
	if _, err := e.acct.Company(context.Background()); !errors.Is(err, invoicing.ErrOffline) {
		t.Errorf("Company: %v, want ErrOffline", err)
	}
}

// failingSource is a token source the user must reconnect, as the oauth
// package's is once the refresh token is refused.
type failingSource struct{}

func (failingSource) Token() (*oauth2.Token, error) { return nil, reconnectError{} }

func TestQuickBooksAuthExpired(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	needsReconnect := func(err error) bool { return errors.As(err, new(reconnectError)) }
	for _, c := range []struct {
		name string
		src  oauth2.TokenSource
	}{
		{"token rejected", oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "revoked"})},
		{"token source says reconnect", failingSource{}},
	} {
		client, err := quickbooks.New(quickbooks.Config{BaseURL: e.srv.URL, RealmID: e.fake.RealmID(), TokenSource: c.src, Clock: clock.Instant{}})
		if err != nil {
			t.Fatal(err)
		}
		acct := NewQuickBooks(client, Options{NeedsReconnect: needsReconnect})
		if _, err := acct.Items(context.Background()); !errors.Is(err, invoicing.ErrAuthExpired) {
			t.Errorf("%s: %v, want ErrAuthExpired", c.name, err)
		} else if strings.Contains(err.Error(), "revoked") {
			t.Errorf("%s: the error %q shows the token", c.name, err)
		}
	}
}
