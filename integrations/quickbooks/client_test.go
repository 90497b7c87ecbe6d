package quickbooks_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/oauth2"

	qb "dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
	"dealbooks/internal/testkit"
)

// dec is testkit.Dec as the client writes it on the wire.
func dec(s string) *qb.Decimal { return qb.Dec(testkit.Dec(s)) }

func mustCustomer(t testing.TB, e *env, name string) *qb.Customer {
	t.Helper()
	c, err := e.client.CreateCustomer(context.Background(), "cust-"+name, qb.Customer{
		DisplayName: name, PrimaryEmailAddr: &qb.EmailAddress{Address: "billing@example.com"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func serviceLine(qty, price string) qb.Line {
	return qb.Line{DetailType: qb.SalesItemLine, Description: "Consulting", SalesItemLineDetail: &qb.SalesItemLineDetail{
		ItemRef: &qb.Ref{Value: "1"}, Qty: dec(qty), UnitPrice: dec(price), TaxCodeRef: &qb.Ref{Value: "TAX"},
	}}
}

func mustInvoice(t testing.TB, e *env, requestID string, cust *qb.Customer, lines ...qb.Line) *qb.Invoice {
	t.Helper()
	inv, err := e.client.CreateInvoice(context.Background(), requestID, qb.Invoice{CustomerRef: &qb.Ref{Value: cust.ID}, Line: lines})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func faultOf(t *testing.T, err error) *qb.Fault {
	t.Helper()
	var f *qb.Fault
	if !errors.As(err, &f) {
		t.Fatalf("error %v is not a *Fault", err)
	}
	return f
}

func TestCreateInvoicePricesLikeQuickBooks(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	cust := mustCustomer(t, e, "Acme")
	inv := mustInvoice(t, e, "req-1", cust, serviceLine("3", "33.33"), serviceLine("1", "0.01"))
	testkit.Eq(t, "line 1 amount", inv.Line[0].Amount.String(), "99.99")
	testkit.Eq(t, "subtotal", inv.Line[2].DetailType, qb.SubTotalLine)
	testkit.Eq(t, "subtotal amount", inv.Line[2].Amount.String(), "100")
	// Default US tax code: 8 % on TAX lines.
	testkit.Eq(t, "tax", inv.TxnTaxDetail.TotalTax.StringFixed(2), "8.00")
	testkit.Eq(t, "total", inv.TotalAmt.StringFixed(2), "108.00")
	testkit.Eq(t, "balance", inv.Balance.StringFixed(2), "108.00")
	testkit.Eq(t, "SyncToken", inv.SyncToken, "0")
	testkit.Eq(t, "customer name", inv.CustomerRef.Name, "Acme")
	testkit.Eq(t, "DocNumber assigned", inv.DocNumber, "1001")
	testkit.Eq(t, "due by Net 30", inv.DueDate.String(), "2026-04-12")
	testkit.Eq(t, "BillEmail from customer", inv.BillEmail.Address, "billing@example.com")
}

func TestCreateInvoiceSameRequestIDReturnsSameInvoice(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	cust := mustCustomer(t, e, "Acme")
	first := mustInvoice(t, e, "req-dup", cust, serviceLine("1", "10"))
	second := mustInvoice(t, e, "req-dup", cust, serviceLine("1", "10"))
	testkit.Eq(t, "same Id", second.ID, first.ID)
	testkit.Eq(t, "invoices in company", len(e.fake.Invoices()), 1)
}

func TestDroppedResponseRetriedWithSameRequestID(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	cust := mustCustomer(t, e, "Acme")
	e.fake.Inject(qbofake.Script{Failure: qbofake.DropResponse, Times: 1, Match: "POST /invoice"})
	inv := mustInvoice(t, e, "req-drop", cust, serviceLine("2", "50"))
	testkit.Eq(t, "invoices in company", len(e.fake.Invoices()), 1)
	testkit.Eq(t, "answered invoice is the stored one", inv.ID, e.fake.Invoices()[0].ID)
	var dropped, replayed int
	for _, r := range e.fake.Requests() {
		if r.Path == "/invoice" && r.Dropped {
			dropped++
		}
		if r.Path == "/invoice" && r.Replayed {
			replayed++
		}
	}
	testkit.Eq(t, "dropped", dropped, 1)
	testkit.Eq(t, "replayed", replayed, 1)
}

func TestStaleSyncTokenIsTyped(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	ctx := context.Background()
	cust := mustCustomer(t, e, "Acme")
	inv := mustInvoice(t, e, "req-1", cust, serviceLine("1", "10"))
	memo := "first"
	if _, err := e.client.UpdateInvoice(ctx, "req-2", qb.Invoice{ID: inv.ID, SyncToken: inv.SyncToken, PrivateNote: &memo}); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.UpdateInvoice(ctx, "req-3", qb.Invoice{ID: inv.ID, SyncToken: inv.SyncToken, PrivateNote: &memo})
	if !errors.Is(err, qb.ErrStaleObject) {
		t.Fatalf("got %v, want ErrStaleObject", err)
	}
	f := faultOf(t, err)
	testkit.Eq(t, "code", f.Code(), "5010")
	testkit.Eq(t, "status", f.StatusCode, 400)
	if f.IntuitTID == "" {
		t.Error("intuit_tid not kept on the error")
	}
}

func TestSparseUpdateChangesOnlyGivenFields(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	ctx := context.Background()
	cust := mustCustomer(t, e, "Acme")
	inv := mustInvoice(t, e, "req-1", cust, serviceLine("2", "10"))
	due := qb.Date{Year: 2026, Month: time.May, Day: 1}
	got, err := e.client.UpdateInvoice(ctx, "req-2", qb.Invoice{ID: inv.ID, SyncToken: inv.SyncToken, DueDate: &due})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "due", got.DueDate.String(), "2026-05-01")
	testkit.Eq(t, "SyncToken", got.SyncToken, "1")
	testkit.Eq(t, "lines kept", got.Line[0].Amount.String(), "20")
	testkit.Eq(t, "total kept", got.TotalAmt.String(), inv.TotalAmt.String())

	email := &qb.EmailAddress{Address: "new@example.com"}
	c2, err := e.client.UpdateCustomer(ctx, "req-3", qb.Customer{ID: cust.ID, SyncToken: cust.SyncToken, PrimaryEmailAddr: email})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "email", c2.PrimaryEmailAddr.Address, "new@example.com")
	testkit.Eq(t, "name kept", c2.DisplayName, "Acme")
	testkit.Eq(t, "customer SyncToken", c2.SyncToken, "1")
}

func TestExpiredAccessTokenIsRefreshedOnce(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	before := e.tokens.tok.AccessToken
	e.clock.Advance(2 * time.Hour)
	info, err := e.client.CompanyInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "company", info.Country, "US")
	testkit.Eq(t, "refreshes", e.tokens.forced, 1)
	if e.tokens.tok.AccessToken == before {
		t.Error("access token not replaced")
	}
	var statuses []int
	for _, r := range e.fake.Requests() {
		statuses = append(statuses, r.Status)
	}
	testkit.Eq(t, "exchange", fmt.Sprint(statuses), "[401 200 200]")
}

func TestRefreshFailureIsAuthExpired(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	e.clock.Advance(101 * 24 * time.Hour) // refresh token past its 100 days
	_, err := e.client.Preferences(context.Background())
	if !errors.Is(err, qb.ErrAuthExpired) {
		t.Fatalf("got %v, want ErrAuthExpired", err)
	}
	testkit.Eq(t, "refreshes", e.tokens.forced, 1)
	if strings.Contains(err.Error(), e.tokens.tok.RefreshToken) || strings.Contains(err.Error(), e.tokens.tok.AccessToken) {
		t.Error("error text contains a token")
	}
}

func TestThrottleWaitsThenSucceeds(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter time.Duration
		want       time.Duration
	}{
		{"no Retry-After: 60 s", 0, 60 * time.Second},
		{"Retry-After honoured", 7 * time.Second, 7 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, qbofake.Options{})
			e.fake.Inject(qbofake.Script{Failure: qbofake.Throttle, Times: 1, RetryAfter: tt.retryAfter})
			if _, err := e.client.Items(context.Background()); err != nil {
				t.Fatal(err)
			}
			testkit.Eq(t, "waits", fmt.Sprint(e.clock.Slept()), fmt.Sprint([]time.Duration{tt.want}))
		})
	}
}

func TestThrottleStormGivesUp(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	e.fake.Inject(qbofake.Script{Failure: qbofake.Throttle, Times: 10})
	_, err := e.client.Terms(context.Background())
	if !errors.Is(err, qb.ErrThrottled) {
		t.Fatalf("got %v, want ErrThrottled", err)
	}
	var rl *qb.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("got %T, want a *RateLimitedError", err)
	}
	testkit.Eq(t, "retry after", rl.RetryAfter, qb.DefaultThrottleWait)
	// Two 60-s waits spend the call's 2-minute budget: the third refusal is returned, not waited out.
	testkit.Eq(t, "waits", fmt.Sprint(e.clock.Slept()), "[1m0s 1m0s]")
	testkit.Eq(t, "attempts", e.countRequests(), 3)
}

func TestLongRetryAfterIsReturnedNotWaited(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	e.fake.Inject(qbofake.Script{Failure: qbofake.Throttle, Times: 1, RetryAfter: 61 * time.Second})
	_, err := e.client.Terms(context.Background())
	var rl *qb.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("got %v, want a *RateLimitedError", err)
	}
	testkit.Eq(t, "retry after", rl.RetryAfter, 61*time.Second)
	testkit.Eq(t, "waits", len(e.clock.Slept()), 0)
	testkit.Eq(t, "attempts", e.countRequests(), 1)
}

func TestServerErrorRetriedForReads(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	e.fake.Inject(qbofake.Script{Failure: qbofake.ServerError, Times: 2, Match: "GET /preferences"})
	prefs, err := e.client.Preferences(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "home", prefs.HomeCurrency(), "USD")
	// Exponential back-off from 1 s with jitter: each wait is between half and all of 1 s, then 2 s.
	slept := e.clock.Slept()
	testkit.Eq(t, "waits", len(slept), 2)
	for i, full := range []time.Duration{time.Second, 2 * time.Second} {
		if slept[i] < full/2 || slept[i] >= full {
			t.Errorf("wait %d = %v, want in [%v, %v)", i+1, slept[i], full/2, full)
		}
	}
}

func TestWritesNeedARequestID(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	ctx := context.Background()
	if _, err := e.client.CreateInvoice(ctx, "", qb.Invoice{}); err == nil {
		t.Error("create without requestid accepted")
	}
	if _, err := e.client.SendInvoice(ctx, strings.Repeat("x", 51), "1", ""); err == nil {
		t.Error("requestid longer than 50 accepted")
	}
	testkit.Eq(t, "requests sent", e.countRequests(), 0)
}

func TestDeleteThenNotFound(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	ctx := context.Background()
	cust := mustCustomer(t, e, "Acme")
	inv := mustInvoice(t, e, "req-1", cust, serviceLine("1", "10"))
	if err := e.client.DeleteInvoice(ctx, "req-2", inv.ID, inv.SyncToken); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Invoice(ctx, inv.ID); !errors.Is(err, qb.ErrNotFound) {
		t.Errorf("read after delete: %v, want ErrNotFound", err)
	}
	if err := e.client.DeleteInvoice(ctx, "req-3", inv.ID, inv.SyncToken); !errors.Is(err, qb.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	got, err := e.client.InvoicesByID(ctx, []string{inv.ID})
	if err != nil || len(got) != 0 {
		t.Errorf("query after delete: %v %v", got, err)
	}
}

func TestVoidZeroesAndNotes(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	cust := mustCustomer(t, e, "Acme")
	inv := mustInvoice(t, e, "req-1", cust, serviceLine("2", "10"))
	v, err := e.client.VoidInvoice(context.Background(), "req-2", inv.ID, inv.SyncToken)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "total", v.TotalAmt.String(), "0")
	testkit.Eq(t, "balance", v.Balance.String(), "0")
	testkit.Eq(t, "line", v.Line[0].Amount.String(), "0")
	testkit.Eq(t, "note", *v.PrivateNote, "Voided")
	testkit.Eq(t, "SyncToken", v.SyncToken, "1")
}

func TestSendOverwritesBillEmail(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	cust := mustCustomer(t, e, "Acme")
	inv := mustInvoice(t, e, "req-1", cust, serviceLine("1", "10"))
	sent, err := e.client.SendInvoice(context.Background(), "req-2", inv.ID, "ap@acme.example")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "EmailStatus", sent.EmailStatus, "EmailSent")
	testkit.Eq(t, "DeliveryType", sent.DeliveryInfo.DeliveryType, "Email")
	testkit.Eq(t, "DeliveryTime", sent.DeliveryInfo.DeliveryTime.Equal(e.clock.Now()), true)
	testkit.Eq(t, "BillEmail", sent.BillEmail.Address, "ap@acme.example")
}

func TestInvoicePDFIsAPDF(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	cust := mustCustomer(t, e, "Acme")
	inv := mustInvoice(t, e, "req-1", cust, serviceLine("1", "10"))
	rc, err := e.client.InvoicePDF(context.Background(), inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("INVOICE "+inv.DocNumber)) {
		t.Errorf("not the invoice's PDF: %.80q", b)
	}
	if _, err := e.client.InvoicePDF(context.Background(), "999"); !errors.Is(err, qb.ErrNotFound) {
		t.Errorf("PDF of a missing invoice: %v", err)
	}
}

func TestDuplicateDocNumberNamesTheExistingInvoice(t *testing.T) {
	e := newEnv(t, qbofake.Options{CustomTxnNumbers: true})
	ctx := context.Background()
	cust := mustCustomer(t, e, "Acme")
	first, err := e.client.CreateInvoice(ctx, "req-1", qb.Invoice{DocNumber: "PD-1000", CustomerRef: &qb.Ref{Value: cust.ID}, Line: []qb.Line{serviceLine("1", "1")}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.CreateInvoice(ctx, "req-2", qb.Invoice{DocNumber: "PD-1000", CustomerRef: &qb.Ref{Value: cust.ID}, Line: []qb.Line{serviceLine("1", "1")}})
	if !errors.Is(err, qb.ErrDuplicateDocNumber) {
		t.Fatalf("got %v, want ErrDuplicateDocNumber", err)
	}
	typ, id, ok := faultOf(t, err).DuplicateTxn()
	testkit.Eq(t, "found", ok, true)
	testkit.Eq(t, "type", typ, "Invoice")
	testkit.Eq(t, "id", id, first.ID)
}

func TestDuplicateDisplayName(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	mustCustomer(t, e, "Acme")
	_, err := e.client.CreateCustomer(context.Background(), "other-request", qb.Customer{DisplayName: "acme"})
	if !errors.Is(err, qb.ErrDuplicateName) {
		t.Fatalf("got %v, want ErrDuplicateName", err)
	}
}

func TestCustomerLookups(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	ctx := context.Background()
	for _, name := range []string{"Amy's Bird Sanctuary", "100% Juice", "1000 Juices", `Back\slash Ltd`, "under_score", "underXscore"} {
		mustCustomer(t, e, name)
	}
	for _, name := range []string{"Amy's Bird Sanctuary", `Back\slash Ltd`} {
		c, err := e.client.CustomerByDisplayName(ctx, name)
		if err != nil || c == nil || c.DisplayName != name {
			t.Errorf("by name %q: %+v %v", name, c, err)
		}
	}
	if c, err := e.client.CustomerByDisplayName(ctx, "Nobody"); c != nil || err != nil {
		t.Errorf("missing name: %+v %v", c, err)
	}
	tests := []struct{ text, want string }{
		{"0% J", "100% Juice"},
		{"r_s", "under_score"},
		{"'s Bird", "Amy's Bird Sanctuary"},
		{"juice", "100% Juice,1000 Juices"},
	}
	for _, tt := range tests {
		found, err := e.client.SearchCustomers(ctx, tt.text, 10)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range found {
			names = append(names, c.DisplayName)
		}
		testkit.Eq(t, "search "+tt.text, strings.Join(names, ","), tt.want)
	}
}

func TestAllCustomersPages(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	for i := range 1001 {
		if _, err := e.fake.AddCustomer(qbofake.Customer{DisplayName: fmt.Sprintf("Customer %04d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := e.client.AllCustomers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "customers", len(all), 1001)
	testkit.Eq(t, "requests", e.countRequests(), 2)
}

func TestInvoicesByIDChunks(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	cust := mustCustomer(t, e, "Acme")
	var ids []string
	for range 600 {
		inv, err := e.fake.AddInvoice(qbofake.Invoice{CustomerRef: &qbofake.Ref{Value: cust.ID}, Line: []qbofake.Line{{
			DetailType: "SalesItemLineDetail", Amount: qbofake.N("5.00"), SalesItemLineDetail: &qbofake.SalesItemLineDetail{}}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, inv.ID)
	}
	e.fake.ResetRequests()
	got, err := e.client.InvoicesByID(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "invoices", len(got), 600)
	testkit.Eq(t, "requests", e.countRequests(), 2)
}

func TestPaymentsChangeBalance(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	ctx := context.Background()
	cust := mustCustomer(t, e, "Acme")
	inv := mustInvoice(t, e, "req-1", cust, serviceLine("1", "100"))
	if _, err := e.fake.RecordPayment(inv.ID, decimal.RequireFromString("40")); err != nil {
		t.Fatal(err)
	}
	got, err := e.client.Invoice(ctx, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "balance", got.Balance.StringFixed(2), "68.00")
	testkit.Eq(t, "linked payment", got.LinkedTxn[0].TxnType, "Payment")
	if _, err := e.fake.RecordPayment(inv.ID, decimal.RequireFromString("68")); err != nil {
		t.Fatal(err)
	}
	got, _ = e.client.Invoice(ctx, inv.ID)
	testkit.Eq(t, "paid", got.Balance.IsZero(), true)
	if _, err := e.client.VoidInvoice(ctx, "req-2", got.ID, got.SyncToken); err == nil {
		t.Error("void of a paid invoice accepted")
	}
}

func TestChangedSince(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	ctx := context.Background()
	cust := mustCustomer(t, e, "Acme")
	old := mustInvoice(t, e, "req-1", cust, serviceLine("1", "10"))
	since := e.clock.Now()
	e.clock.Advance(time.Minute)
	changed := mustInvoice(t, e, "req-2", cust, serviceLine("1", "20"))
	gone := mustInvoice(t, e, "req-3", cust, serviceLine("1", "30"))
	if err := e.client.DeleteInvoice(ctx, "req-4", gone.ID, gone.SyncToken); err != nil {
		t.Fatal(err)
	}
	if _, err := e.fake.RecordPayment(changed.ID, decimal.RequireFromString("5")); err != nil {
		t.Fatal(err)
	}
	ch, err := e.client.ChangedSince(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, inv := range ch.Invoices {
		ids = append(ids, fmt.Sprintf("%s:%v", inv.ID, inv.Deleted()))
	}
	testkit.Eq(t, "invoices", strings.Join(ids, ","), changed.ID+":false,"+gone.ID+":true")
	testkit.Eq(t, "payments", len(ch.Payments), 1)
	testkit.Eq(t, "payment applies to", strings.Join(ch.Payments[0].InvoiceIDs(), ","), changed.ID)
	testkit.Eq(t, "time", ch.Time.Equal(e.clock.Now().Truncate(time.Millisecond)), true)
	_ = old

	if _, err := e.client.ChangedSince(ctx, e.clock.Now().Add(-31*24*time.Hour)); err == nil {
		t.Error("CDC beyond 30 days accepted")
	}
}

func TestReadsOfSeededCompany(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	if err := e.fake.SeedDemo(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	items, err := e.client.Items(ctx)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "items", len(items), 6)
	skus := map[string]string{}
	for _, it := range items {
		skus[it.Name] = it.Sku
	}
	testkit.Eq(t, "SKU of Consulting", skus["Consulting"], "CONS-HR")
	testkit.Eq(t, "SKU of Services", skus["Services"], "")
	svc, err := e.client.ItemByName(ctx, "Services")
	if err != nil || svc == nil {
		t.Fatalf("Services: %v %v", svc, err)
	}
	prefs, err := e.client.Preferences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "default item", prefs.DefaultItemID(), svc.ID)
	codes, err := e.client.TaxCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "tax codes", len(codes), 3)
	rates, err := e.client.TaxRates(ctx)
	if err != nil || len(rates) != 1 || rates[0].RateValue.String() != "8" {
		t.Errorf("tax rates: %+v %v", rates, err)
	}
	terms, err := e.client.Terms(ctx)
	if err != nil || len(terms) != 4 {
		t.Errorf("terms: %+v %v", terms, err)
	}
	info, err := e.client.CompanyInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "tax model", qb.TaxModelOf(info, prefs), qb.TaxUS)
}

func TestNonUSCompanyTax(t *testing.T) {
	e := newEnv(t, qbofake.Options{Country: "NL"})
	ctx := context.Background()
	cust := mustCustomer(t, e, "Globex")
	code := e.fake.TaxCodeID("21% Standard")
	line := qb.Line{DetailType: qb.SalesItemLine, SalesItemLineDetail: &qb.SalesItemLineDetail{
		Qty: dec("3"), UnitPrice: dec("33.35"), TaxCodeRef: &qb.Ref{Value: code}}}
	_, err := e.client.CreateInvoice(ctx, "req-1", qb.Invoice{CustomerRef: &qb.Ref{Value: cust.ID}, Line: []qb.Line{line}})
	if f := faultOf(t, err); f.Code() != qb.CodeRequiredParam || f.Errors[0].Element != "GlobalTaxCalculation" {
		t.Errorf("missing GlobalTaxCalculation: %v", err)
	}
	inv, err := e.client.CreateInvoice(ctx, "req-2", qb.Invoice{CustomerRef: &qb.Ref{Value: cust.ID}, GlobalTaxCalculation: qb.TaxExcluded, Line: []qb.Line{line}})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "currency", inv.CurrencyRef.Value, "EUR")
	testkit.Eq(t, "net", inv.Line[0].Amount.StringFixed(2), "100.05")
	testkit.Eq(t, "tax", inv.TxnTaxDetail.TotalTax.StringFixed(2), "21.01")
	testkit.Eq(t, "total", inv.TotalAmt.StringFixed(2), "121.06")
	testkit.Eq(t, "tax percent", inv.TxnTaxDetail.TaxLine[0].TaxLineDetail.TaxPercent.String(), "21")
}

func TestCurrencyRules(t *testing.T) {
	ctx := context.Background()
	single := newEnv(t, qbofake.Options{})
	_, err := single.client.CreateCustomer(ctx, "r1", qb.Customer{DisplayName: "Euro Co", CurrencyRef: &qb.Ref{Value: "EUR"}})
	testkit.Eq(t, "foreign customer without multicurrency", faultOf(t, err).Code(), qb.CodeBusinessRule)

	multi := newEnv(t, qbofake.Options{MultiCurrency: true})
	euro, err := multi.client.CreateCustomer(ctx, "r1", qb.Customer{DisplayName: "Euro Co", CurrencyRef: &qb.Ref{Value: "EUR"}})
	if err != nil {
		t.Fatal(err)
	}
	line := []qb.Line{serviceLine("1", "10")}
	_, err = multi.client.CreateInvoice(ctx, "r2", qb.Invoice{CustomerRef: &qb.Ref{Value: euro.ID}, Line: line})
	testkit.Eq(t, "currency required", faultOf(t, err).Code(), qb.CodeRequiredParam)
	_, err = multi.client.CreateInvoice(ctx, "r3", qb.Invoice{CustomerRef: &qb.Ref{Value: euro.ID}, CurrencyRef: &qb.Ref{Value: "USD"}, Line: line})
	testkit.Eq(t, "currency must match customer", faultOf(t, err).Code(), qb.CodeBusinessRule)
	inv, err := multi.client.CreateInvoice(ctx, "r4", qb.Invoice{CustomerRef: &qb.Ref{Value: euro.ID}, CurrencyRef: &qb.Ref{Value: "EUR"}, ExchangeRate: dec("1.1"), Line: line})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "home total", inv.HomeTotalAmt.StringFixed(2), "11.88")
	_, err = multi.client.UpdateCustomer(ctx, "r5", qb.Customer{ID: euro.ID, SyncToken: euro.SyncToken, CurrencyRef: &qb.Ref{Value: "USD"}})
	testkit.Eq(t, "currency fixed", faultOf(t, err).Code(), qb.CodeBusinessRule)
}

func TestConcurrentCallsStayWithinTheRealmLimit(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	e.fake.SetLatency(5 * time.Millisecond)
	errs := make(chan error, 40)
	for range 40 {
		go func() {
			_, err := e.client.Terms(context.Background())
			errs <- err
		}()
	}
	for range 40 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	for _, r := range e.fake.Requests() {
		if r.Status == http.StatusTooManyRequests {
			t.Fatal("the fake saw more than 10 requests in flight")
		}
	}
}

func TestInvoiceLinks(t *testing.T) {
	testkit.Eq(t, "production", qb.InvoiceLink(qb.ProductionAppURL, "129"), "https://qbo.intuit.com/app/invoice?txnId=129")
	testkit.Eq(t, "sandbox", qb.InvoiceLink(qb.SandboxAppURL, "129"), "https://sandbox.qbo.intuit.com/app/invoice?txnId=129")
	for base, want := range map[string]string{qb.SandboxBaseURL: qb.SandboxAppURL, qb.ProductionBaseURL: qb.ProductionAppURL} {
		c, err := qb.New(qb.Config{BaseURL: base, RealmID: "1", TokenSource: &tokens{}})
		if err != nil {
			t.Fatal(err)
		}
		testkit.Eq(t, base, c.InvoiceLink("7"), want+"/app/invoice?txnId=7")
	}
	e := newEnv(t, qbofake.Options{})
	cust := mustCustomer(t, e, "Acme")
	inv := mustInvoice(t, e, "req-1", cust, serviceLine("1", "10"))
	resp, err := http.Get(e.client.InvoiceLink(inv.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Invoice "+inv.DocNumber) {
		t.Errorf("fake's web page: %d %s", resp.StatusCode, page)
	}
}

// brokenRefresh fails to reach the token endpoint.
type brokenRefresh struct{ tokens }

func (b *brokenRefresh) ForceRefresh(context.Context) (*oauth2.Token, error) {
	return nil, errors.New("dial tcp: connection refused")
}

func TestRefreshNetworkFailureIsNotAuthExpired(t *testing.T) {
	e := newEnv(t, qbofake.Options{})
	src := &brokenRefresh{tokens: tokens{tok: e.tokens.tok}}
	c, err := qb.New(qb.Config{BaseURL: e.url, RealmID: e.fake.RealmID(), TokenSource: src, Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour)
	_, err = c.Terms(context.Background())
	if err == nil || errors.Is(err, qb.ErrAuthExpired) {
		t.Fatalf("got %v, want a plain error", err)
	}
}
