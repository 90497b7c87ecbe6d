package qbofake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"dealbooks/internal/clock"
	"dealbooks/internal/testkit"

	"github.com/shopspring/decimal"
)

type harness struct {
	t     *testing.T
	fake  *Server
	srv   *httptest.Server
	clock *clock.Manual
	token string
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	c := clock.NewManual(time.Date(2026, time.March, 13, 10, 0, 0, 0, time.UTC))
	opts.Now = c.Now
	fake := New(opts)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &harness{t: t, fake: fake, srv: srv, clock: c, token: fake.IssueTokens().AccessToken}
}

// api calls the API and decodes the JSON answer into a generic map.
func (h *harness) api(method, path string, params url.Values, body string) (int, map[string]any) {
	h.t.Helper()
	if params == nil {
		params = url.Values{}
	}
	params.Set("minorversion", "75")
	req, _ := http.NewRequest(method, h.srv.URL+"/v3/company/"+h.fake.RealmID()+path+"?"+params.Encode(), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		h.t.Fatalf("%s %s: answer is not JSON: %s", method, path, raw)
	}
	return resp.StatusCode, m
}

func (h *harness) query(q string) (int, map[string]any) {
	return h.api(http.MethodGet, "/query", url.Values{"query": {q}}, "")
}

// faultCode returns the code of a Fault answer ("" if none).
func faultCode(m map[string]any) string {
	f, _ := m["Fault"].(map[string]any)
	errs, _ := f["Error"].([]any)
	if len(errs) == 0 {
		return ""
	}
	return errs[0].(map[string]any)["code"].(string)
}

func get(m any, path string) any {
	for _, p := range strings.Split(path, ".") {
		switch x := m.(type) {
		case map[string]any:
			m = x[p]
		case []any:
			i := 0
			for _, c := range p {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			m = x[i]
		default:
			return nil
		}
	}
	if n, ok := m.(json.Number); ok {
		return n.String()
	}
	return m
}

func (h *harness) customer(name string) string {
	h.t.Helper()
	c, err := h.fake.AddCustomer(Customer{DisplayName: name, PrimaryEmailAddr: &Email{Address: "a@b.example"}})
	if err != nil {
		h.t.Fatal(err)
	}
	return c.ID
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// The fake's invoice carries the members a real sandbox invoice carries.
func TestInvoiceWireShapeMatchesRealSandbox(t *testing.T) {
	h := newHarness(t, Options{})
	c, err := h.fake.AddCustomer(Customer{DisplayName: "Amy's Bird Sanctuary",
		BillAddr: &Address{Line1: "4581 Finch St.", City: "Bayshore", CountrySubDivisionCode: "CA", PostalCode: "94326"}})
	if err != nil {
		t.Fatal(err)
	}
	cust := c.ID
	status, m := h.api(http.MethodPost, "/invoice", url.Values{"requestid": {"r1"}},
		`{"Line":[{"DetailType":"SalesItemLineDetail","Amount":100.0,"SalesItemLineDetail":{"ItemRef":{"name":"Services","value":"1"}}}],"CustomerRef":{"value":"`+cust+`"}}`)
	testkit.Eq(t, "status", status, 200)
	var real map[string]any
	if err := json.Unmarshal(testkit.ReadFile(t, "invoice_read_us_open_real_sandbox.json"), &real); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["time"].(string); !ok {
		t.Error("envelope has no time")
	}
	fake := m["Invoice"].(map[string]any)
	skip := map[string]bool{ // members that need features the fake leaves out
		"AllowIPNPayment": true, "AllowOnlinePayment": true, "AllowOnlineCreditCardPayment": true,
		"AllowOnlineACHPayment": true, "CustomField": true,
	}
	for _, k := range keys(real["Invoice"].(map[string]any)) {
		if _, ok := fake[k]; !ok && !skip[k] {
			t.Errorf("fake invoice lacks %s", k)
		}
	}
	testkit.Eq(t, "Id is a string", get(fake, "Id").(string) != "", true)
	testkit.Eq(t, "SyncToken", get(fake, "SyncToken"), any("0"))
	testkit.Eq(t, "amount keeps places", get(fake, "Line.0.Amount"), any("100.00"))
	testkit.Eq(t, "subtotal line", get(fake, "Line.1.DetailType"), any("SubTotalLineDetail"))
	testkit.Eq(t, "TotalAmt", get(fake, "TotalAmt"), any("100.00"))
	testkit.Eq(t, "TotalTax", get(fake, "TxnTaxDetail.TotalTax"), any("0"))
}

func TestInvoiceRules(t *testing.T) {
	h := newHarness(t, Options{})
	cust := h.customer("Acme")
	line := func(extra string) string {
		return `{"DetailType":"SalesItemLineDetail",` + extra + `}`
	}
	tests := []struct {
		name, body, code string
	}{
		{"no customer", `{"Line":[` + line(`"Amount":1`) + `]}`, "2020"},
		{"no lines", `{"CustomerRef":{"value":"` + cust + `"}}`, "2020"},
		{"unknown customer", `{"CustomerRef":{"value":"999"},"Line":[` + line(`"Amount":1`) + `]}`, "2500"},
		{"unknown item", `{"CustomerRef":{"value":"` + cust + `"},"Line":[` + line(`"Amount":1,"SalesItemLineDetail":{"ItemRef":{"value":"999"}}`) + `]}`, "2500"},
		{"amount is not qty x price", `{"CustomerRef":{"value":"` + cust + `"},"Line":[` + line(`"Amount":10,"SalesItemLineDetail":{"Qty":3,"UnitPrice":3.33}`) + `]}`, "6070"},
		{"no amount", `{"CustomerRef":{"value":"` + cust + `"},"Line":[` + line(`"SalesItemLineDetail":{"Qty":3}`) + `]}`, "2020"},
		{"US line tax code", `{"CustomerRef":{"value":"` + cust + `"},"Line":[` + line(`"Amount":1,"SalesItemLineDetail":{"TaxCodeRef":{"value":"5"}}`) + `]}`, "6100"},
		{"foreign currency without multicurrency", `{"CustomerRef":{"value":"` + cust + `"},"CurrencyRef":{"value":"EUR"},"Line":[` + line(`"Amount":1`) + `]}`, "6000"},
		{"due before date", `{"CustomerRef":{"value":"` + cust + `"},"TxnDate":"2026-03-10","DueDate":"2026-03-01","Line":[` + line(`"Amount":1`) + `]}`, "6000"},
		{"DocNumber too long", `{"CustomerRef":{"value":"` + cust + `"},"DocNumber":"1234567890123456789012","Line":[` + line(`"Amount":1`) + `]}`, "6000"},
		{"bad term", `{"CustomerRef":{"value":"` + cust + `"},"SalesTermRef":{"value":"999"},"Line":[` + line(`"Amount":1`) + `]}`, "2500"},
		{"not JSON", `{"CustomerRef":`, "2010"},
		{"amount not a number", `{"CustomerRef":{"value":"` + cust + `"},"Line":[` + line(`"Amount":"ten"`) + `]}`, "2010"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, m := h.api(http.MethodPost, "/invoice", nil, tt.body)
			testkit.Eq(t, "status", status, 400)
			testkit.Eq(t, "code", faultCode(m), tt.code)
		})
	}
	if n := len(h.fake.Invoices()); n != 0 {
		t.Errorf("%d invoices stored from failed creates", n)
	}
}

func TestDocNumbersContinueAndStayUnique(t *testing.T) {
	h := newHarness(t, Options{})
	cust := h.customer("Acme")
	create := func(doc string) (int, map[string]any) {
		b := `{"CustomerRef":{"value":"` + cust + `"},"Line":[{"DetailType":"SalesItemLineDetail","Amount":1}]`
		if doc != "" {
			b += `,"DocNumber":"` + doc + `"`
		}
		return h.api(http.MethodPost, "/invoice", nil, b+"}")
	}
	_, m := create("")
	testkit.Eq(t, "first number", get(m, "Invoice.DocNumber"), any("1001"))
	_, m = create("PD-1500")
	testkit.Eq(t, "own number", get(m, "Invoice.DocNumber"), any("PD-1500"))
	_, m = create("")
	testkit.Eq(t, "continues after our prefix", get(m, "Invoice.DocNumber"), any("1501"))
	status, m := create("PD-1500")
	testkit.Eq(t, "duplicate status", status, 400)
	testkit.Eq(t, "duplicate code", faultCode(m), "6140")
	if d := get(m, "Fault.Error.0.Detail").(string); !strings.Contains(d, "TxnType=Invoice with TxnId=") {
		t.Errorf("detail %q does not name the invoice", d)
	}
}

func TestRequestIDReplaysTheFirstAnswer(t *testing.T) {
	h := newHarness(t, Options{})
	cust := h.customer("Acme")
	body := `{"CustomerRef":{"value":"` + cust + `"},"Line":[{"DetailType":"SalesItemLineDetail","Amount":12.50}]}`
	_, first := h.api(http.MethodPost, "/invoice", url.Values{"requestid": {"abc"}}, body)
	h.clock.Advance(30 * time.Minute)
	_, again := h.api(http.MethodPost, "/invoice", url.Values{"requestid": {"abc"}}, body)
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(again)
	testkit.Eq(t, "same answer", string(b), string(a))
	testkit.Eq(t, "stored", len(h.fake.Invoices()), 1)

	// A fault is replayed too, even once the cause is gone.
	_, f1 := h.api(http.MethodPost, "/customer", url.Values{"requestid": {"dup"}}, `{"DisplayName":"Acme"}`)
	testkit.Eq(t, "first fault", faultCode(f1), "6240")
	_, f2 := h.api(http.MethodPost, "/customer", url.Values{"requestid": {"dup"}}, `{"DisplayName":"Acme"}`)
	testkit.Eq(t, "replayed fault", faultCode(f2), "6240")
}

func TestUpdateVoidDeleteSend(t *testing.T) {
	h := newHarness(t, Options{})
	cust := h.customer("Acme")
	_, m := h.api(http.MethodPost, "/invoice", nil, `{"CustomerRef":{"value":"`+cust+`"},"PrivateNote":"keep me","Line":[{"DetailType":"SalesItemLineDetail","Amount":10,"SalesItemLineDetail":{"Qty":2,"UnitPrice":5}}]}`)
	id := get(m, "Invoice.Id").(string)

	_, m = h.api(http.MethodPost, "/invoice", nil, `{"Id":"`+id+`","SyncToken":"0","sparse":true,"DueDate":"2026-05-01"}`)
	testkit.Eq(t, "sparse keeps note", get(m, "Invoice.PrivateNote"), any("keep me"))
	testkit.Eq(t, "sparse SyncToken", get(m, "Invoice.SyncToken"), any("1"))

	_, m = h.api(http.MethodPost, "/invoice", nil, `{"Id":"`+id+`","SyncToken":"1","CustomerRef":{"value":"`+cust+`"},"Line":[{"DetailType":"SalesItemLineDetail","Amount":7}]}`)
	testkit.Eq(t, "full update clears note", get(m, "Invoice.PrivateNote"), nil)
	testkit.Eq(t, "full update total", get(m, "Invoice.TotalAmt"), any("7.00"))

	_, m = h.api(http.MethodPost, "/invoice/"+id+"/send", url.Values{"sendTo": {"x@y.example"}}, "")
	testkit.Eq(t, "EmailStatus", get(m, "Invoice.EmailStatus"), any("EmailSent"))
	testkit.Eq(t, "DeliveryType", get(m, "Invoice.DeliveryInfo.DeliveryType"), any("Email"))
	testkit.Eq(t, "BillEmail", get(m, "Invoice.BillEmail.Address"), any("x@y.example"))
	testkit.Eq(t, "send SyncToken", get(m, "Invoice.SyncToken"), any("3"))

	status, m := h.api(http.MethodPost, "/invoice", url.Values{"operation": {"void"}}, `{"Id":"`+id+`","SyncToken":"0"}`)
	testkit.Eq(t, "stale void", status, 400)
	testkit.Eq(t, "stale code", faultCode(m), "5010")
	_, m = h.api(http.MethodPost, "/invoice", url.Values{"operation": {"void"}}, `{"Id":"`+id+`","SyncToken":"3"}`)
	testkit.Eq(t, "void total", get(m, "Invoice.TotalAmt"), any("0"))
	testkit.Eq(t, "void balance", get(m, "Invoice.Balance"), any("0"))
	testkit.Eq(t, "void note", get(m, "Invoice.PrivateNote"), any("Voided"))
	testkit.Eq(t, "void SyncToken", get(m, "Invoice.SyncToken"), any("4"))

	_, m = h.api(http.MethodPost, "/invoice", url.Values{"operation": {"delete"}}, `{"Id":"`+id+`","SyncToken":"4"}`)
	var real map[string]any
	_ = json.Unmarshal(testkit.ReadFile(t, "invoice_delete_response_real_sandbox.json"), &real)
	testkit.Eq(t, "delete answer members", strings.Join(keys(m["Invoice"].(map[string]any)), ","), strings.Join(keys(real["Invoice"].(map[string]any)), ","))
	testkit.Eq(t, "status", get(m, "Invoice.status"), any("Deleted"))
	for _, call := range []func() (int, map[string]any){
		func() (int, map[string]any) { return h.api(http.MethodGet, "/invoice/"+id, nil, "") },
		func() (int, map[string]any) {
			return h.api(http.MethodPost, "/invoice", url.Values{"operation": {"delete"}}, `{"Id":"`+id+`","SyncToken":"4"}`)
		},
		func() (int, map[string]any) { return h.api(http.MethodPost, "/invoice/"+id+"/send", nil, "") },
	} {
		status, m := call()
		testkit.Eq(t, "after delete status", status, 400)
		testkit.Eq(t, "after delete code", faultCode(m), "610")
	}
}

func TestVoidKeepsMemoAfterTheWord(t *testing.T) {
	h := newHarness(t, Options{})
	cust := h.customer("Acme")
	inv, err := h.fake.AddInvoice(Invoice{CustomerRef: &Ref{Value: cust}, PrivateNote: "deal 42", Line: []Line{{DetailType: "SalesItemLineDetail", Amount: N("5")}}})
	if err != nil {
		t.Fatal(err)
	}
	_, m := h.api(http.MethodPost, "/invoice", url.Values{"operation": {"void"}}, `{"Id":"`+inv.ID+`","SyncToken":"0"}`)
	testkit.Eq(t, "note", get(m, "Invoice.PrivateNote"), any("Voided - deal 42"))
}

func TestCustomerRules(t *testing.T) {
	h := newHarness(t, Options{MultiCurrency: true})
	status, m := h.api(http.MethodPost, "/customer", nil, `{"DisplayName":"Acme","CurrencyRef":{"value":"EUR"},"PrimaryEmailAddr":{"Address":"a@acme.example"}}`)
	testkit.Eq(t, "create", status, 200)
	id := get(m, "Customer.Id").(string)
	testkit.Eq(t, "currency name", get(m, "Customer.CurrencyRef.name"), any("Euro"))
	tests := []struct{ name, body, code string }{
		{"same name", `{"DisplayName":"ACME "}`, "6240"},
		{"no name", `{"Notes":"x"}`, "6080"},
		{"colon", `{"DisplayName":"a:b"}`, "6000"},
		{"bad email", `{"DisplayName":"B","PrimaryEmailAddr":{"Address":"nope"}}`, "6000"},
		{"stale", `{"Id":"` + id + `","SyncToken":"7","sparse":true,"Notes":"x"}`, "5010"},
		{"currency change", `{"Id":"` + id + `","SyncToken":"0","sparse":true,"CurrencyRef":{"value":"USD"}}`, "6000"},
		{"unknown", `{"Id":"999","SyncToken":"0","sparse":true}`, "610"},
		{"update without token", `{"Id":"` + id + `","sparse":true}`, "2020"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m := h.api(http.MethodPost, "/customer", nil, tt.body)
			testkit.Eq(t, "code", faultCode(m), tt.code)
		})
	}
	_, m = h.api(http.MethodPost, "/customer", nil, `{"Id":"`+id+`","SyncToken":"0","sparse":true,"Notes":"vip"}`)
	testkit.Eq(t, "sparse notes", get(m, "Customer.Notes"), any("vip"))
	testkit.Eq(t, "name kept", get(m, "Customer.DisplayName"), any("Acme"))
}

func TestQueryLanguage(t *testing.T) {
	h := newHarness(t, Options{})
	for _, n := range []string{"Amy's Bird Sanctuary", "Bob", "100% Juice", "1000 Juices"} {
		h.customer(n)
	}
	inactive := false
	if _, err := h.fake.AddCustomer(Customer{DisplayName: "Gone Ltd", Active: &inactive}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q     string
		names string // DisplayNames in order
		code  string // fault code instead
	}{
		{q: `SELECT * FROM Customer WHERE DisplayName = 'Amy\'s Bird Sanctuary'`, names: "Amy's Bird Sanctuary"},
		{q: `select * from customer where displayname = 'bob'`, names: "Bob"},
		{q: `SELECT * FROM Customer WHERE DisplayName LIKE '%Juice%' ORDERBY DisplayName DESC`, names: "1000 Juices,100% Juice"},
		{q: `SELECT * FROM Customer WHERE DisplayName LIKE '%0\\%%'`, names: "100% Juice"},
		{q: `SELECT * FROM Customer WHERE DisplayName IN ('Bob', 'Nobody') AND Active = true`, names: "Bob"},
		{q: `SELECT * FROM Customer ORDERBY Id STARTPOSITION 2 MAXRESULTS 2`, names: "Bob,100% Juice"},
		{q: `SELECT * FROM Customer`, names: "Amy's Bird Sanctuary,Bob,100% Juice,1000 Juices"},
		{q: `SELECT * FROM Customer WHERE Active IN (true, false) AND DisplayName LIKE 'Gone%'`, names: "Gone Ltd"},
		{q: `SELECT * FROM Customer WHERE DisplayName = 'Nobody'`, names: ""},
		{q: `SELECT * FROM Customer WHERE PrimaryEmailAddr = 'a@b.example'`, code: "4001"},
		{q: `SELECT * FROM Customer MAXRESULTS 1001`, code: "4000"},
		{q: `SELECT * FROM Customer WHERE DisplayName = 'x' OR Id = '1'`, code: "4000"},
		{q: `SELECT * FROM Customer WHERE DisplayName = 'unterminated`, code: "4000"},
		{q: `SELECT * FROM Nothing`, code: "4000"},
		{q: `SELECT * FROM Customer WHERE null`, code: "4000"},
		{q: `DELETE FROM Customer`, code: "4000"},
		{q: `SELECT * FROM Customer WHERE Id IN ()`, code: "4000"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			status, m := h.query(tt.q)
			if tt.code != "" {
				testkit.Eq(t, "status", status, 400)
				testkit.Eq(t, "code", faultCode(m), tt.code)
				return
			}
			testkit.Eq(t, "status", status, 200)
			qr := m["QueryResponse"].(map[string]any)
			rows, _ := qr["Customer"].([]any)
			var names []string
			for _, r := range rows {
				names = append(names, r.(map[string]any)["DisplayName"].(string))
			}
			testkit.Eq(t, "names", strings.Join(names, ","), tt.names)
			if len(rows) == 0 && len(qr) != 0 {
				t.Errorf("empty answer has members %v", keys(qr))
			}
		})
	}
	_, m := h.query("SELECT COUNT(*) FROM Customer")
	testkit.Eq(t, "count", get(m, "QueryResponse.totalCount"), any("4"))
	status, m := h.api(http.MethodPost, "/query", nil, "")
	testkit.Eq(t, "POST query without body", status, 400)
	testkit.Eq(t, "POST query code", faultCode(m), "2020")
}

func TestQueryByMetaDataAndDates(t *testing.T) {
	h := newHarness(t, Options{})
	cust := h.customer("Acme")
	first, _ := h.fake.AddInvoice(Invoice{CustomerRef: &Ref{Value: cust}, TxnDate: "2026-01-05", Line: []Line{{DetailType: "SalesItemLineDetail", Amount: N("1")}}})
	h.clock.Advance(30 * time.Minute)
	second, _ := h.fake.AddInvoice(Invoice{CustomerRef: &Ref{Value: cust}, TxnDate: "2026-02-05", Line: []Line{{DetailType: "SalesItemLineDetail", Amount: N("2")}}})
	_, m := h.query(`SELECT * FROM Invoice WHERE MetaData.LastUpdatedTime > '2026-03-13T02:10:00-08:00'`)
	testkit.Eq(t, "updated after", get(m, "QueryResponse.Invoice.0.Id"), any(second.ID))
	testkit.Eq(t, "only one", get(m, "QueryResponse.maxResults"), any("1"))
	_, m = h.query(`SELECT * FROM Invoice WHERE TxnDate < '2026-02-01' AND CustomerRef = '` + cust + `'`)
	testkit.Eq(t, "by date and customer", get(m, "QueryResponse.Invoice.0.Id"), any(first.ID))
	_, m = h.query(`SELECT * FROM Invoice WHERE TotalAmt >= '2'`)
	testkit.Eq(t, "by amount", get(m, "QueryResponse.Invoice.0.Id"), any(second.ID))
}

func TestCDCWithDeletions(t *testing.T) {
	h := newHarness(t, Options{})
	cust := h.customer("Acme")
	since := h.clock.Now().Format(time.RFC3339)
	h.clock.Advance(time.Second)
	a, _ := h.fake.AddInvoice(Invoice{CustomerRef: &Ref{Value: cust}, Line: []Line{{DetailType: "SalesItemLineDetail", Amount: N("1")}}})
	b, _ := h.fake.AddInvoice(Invoice{CustomerRef: &Ref{Value: cust}, Line: []Line{{DetailType: "SalesItemLineDetail", Amount: N("2")}}})
	h.api(http.MethodPost, "/invoice", url.Values{"operation": {"delete"}}, `{"Id":"`+b.ID+`","SyncToken":"0"}`)
	if _, err := h.fake.RecordPayment(a.ID, decimal.RequireFromString("0.5")); err != nil {
		t.Fatal(err)
	}
	status, m := h.api(http.MethodGet, "/cdc", url.Values{"entities": {"Invoice,Payment"}, "changedSince": {since}}, "")
	testkit.Eq(t, "status", status, 200)
	testkit.Eq(t, "changed invoice", get(m, "CDCResponse.0.QueryResponse.0.Invoice.0.Id"), any(a.ID))
	testkit.Eq(t, "deleted invoice", get(m, "CDCResponse.0.QueryResponse.0.Invoice.1.Id"), any(b.ID))
	testkit.Eq(t, "deleted status", get(m, "CDCResponse.0.QueryResponse.0.Invoice.1.status"), any("Deleted"))
	testkit.Eq(t, "payment", get(m, "CDCResponse.0.QueryResponse.1.Payment.0.Line.0.LinkedTxn.0.TxnId"), any(a.ID))

	for _, params := range []url.Values{
		{"changedSince": {since}},
		{"entities": {"Invoice"}},
		{"entities": {"estimates"}, "changedSince": {since}},
		{"entities": {"Invoice"}, "changedSince": {h.clock.Now().Add(-31 * 24 * time.Hour).Format(time.RFC3339)}},
	} {
		status, m := h.api(http.MethodGet, "/cdc", params, "")
		testkit.Eq(t, "bad CDC status", status, 400)
		testkit.Eq(t, "bad CDC code", faultCode(m), "10000")
	}
}

func TestPaymentsMakePaidAndPartial(t *testing.T) {
	h := newHarness(t, Options{})
	cust := h.customer("Acme")
	inv, _ := h.fake.AddInvoice(Invoice{CustomerRef: &Ref{Value: cust}, Line: []Line{{DetailType: "SalesItemLineDetail", Amount: N("100")}}})
	if _, err := h.fake.RecordPayment(inv.ID, decimal.RequireFromString("100.01")); err == nil {
		t.Error("overpayment accepted")
	}
	if _, err := h.fake.RecordPayment(inv.ID, decimal.RequireFromString("30")); err != nil {
		t.Fatal(err)
	}
	got, _ := h.fake.Invoice(inv.ID)
	testkit.Eq(t, "partial balance", got.Balance.StringFixed(2), "70.00")
	testkit.Eq(t, "customer balance", h.fake.Customers()[0].Balance.StringFixed(2), "70.00")
	status, m := h.api(http.MethodPost, "/invoice", url.Values{"operation": {"delete"}}, `{"Id":"`+inv.ID+`","SyncToken":"1"}`)
	testkit.Eq(t, "delete with payment", status, 400)
	testkit.Eq(t, "delete with payment code", faultCode(m), "6000")
	if _, err := h.fake.RecordPayment(inv.ID, decimal.RequireFromString("70")); err != nil {
		t.Fatal(err)
	}
	got, _ = h.fake.Invoice(inv.ID)
	testkit.Eq(t, "paid", got.Balance.IsZero() && got.TotalAmt.IsPositive(), true)
}

func TestScriptedFailures(t *testing.T) {
	h := newHarness(t, Options{})
	h.fake.Inject(Script{Failure: Throttle, Times: 1, RetryAfter: 3 * time.Second, Match: "GET /preferences"})
	h.fake.Inject(Script{Failure: ServerError, Times: 1, Match: "GET /preferences"})
	status, m := h.api(http.MethodGet, "/preferences", nil, "")
	testkit.Eq(t, "throttled", status, 429)
	testkit.Eq(t, "throttle fault", faultCode(m), "3001")
	status, _ = h.api(http.MethodGet, "/preferences", nil, "")
	testkit.Eq(t, "server error", status, 503)
	status, _ = h.api(http.MethodGet, "/preferences", nil, "")
	testkit.Eq(t, "then fine", status, 200)

	h.fake.Inject(Script{Failure: DropResponse, Times: 1})
	cust := h.customer("Acme")
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/v3/company/"+h.fake.RealmID()+"/invoice?requestid=drop",
		strings.NewReader(`{"CustomerRef":{"value":"`+cust+`"},"Line":[{"DetailType":"SalesItemLineDetail","Amount":1}]}`))
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("dropped response arrived")
	}
	testkit.Eq(t, "committed", len(h.fake.Invoices()), 1)
	log := h.fake.Requests()
	testkit.Eq(t, "logged as dropped", log[len(log)-1].Dropped, true)
}

func TestLimitsPerRealm(t *testing.T) {
	c := clock.NewManual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s := New(Options{Now: c.Now})
	for i := range maxInFlight {
		if !s.admit() {
			t.Fatalf("request %d refused", i+1)
		}
	}
	testkit.Eq(t, "11th in flight", s.admit(), false)
	for range maxInFlight {
		s.leave()
	}
	for range maxPerMinute - maxInFlight {
		s.admit()
		s.leave()
	}
	testkit.Eq(t, "501st in a minute", s.admit(), false)
	c.Advance(time.Minute)
	testkit.Eq(t, "next minute", s.admit(), true)
}

func TestAPIAuth(t *testing.T) {
	h := newHarness(t, Options{})
	h.clock.Advance(time.Hour)
	status, m := h.api(http.MethodGet, "/preferences", nil, "")
	testkit.Eq(t, "expired", status, 401)
	testkit.Eq(t, "lowercase fault", get(m, "fault.error.0.code"), any("3200"))
	testkit.Eq(t, "type", get(m, "fault.type"), any("AUTHENTICATION"))
	if _, ok := m["time"].(json.Number); !ok {
		t.Error("401 time is not a number")
	}
	h.token = "made-up"
	status, _ = h.api(http.MethodGet, "/preferences", nil, "")
	testkit.Eq(t, "unknown token", status, 401)

	h.token = h.fake.IssueTokens().AccessToken
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/v3/company/other/preferences", nil)
	req.Header.Set("Authorization", "Bearer "+h.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	testkit.Eq(t, "other realm", resp.StatusCode, 403)
}

func TestCompanyReads(t *testing.T) {
	for _, country := range []string{"US", "GB"} {
		h := newHarness(t, Options{Country: country})
		_, m := h.api(http.MethodGet, "/companyinfo/"+h.fake.RealmID(), nil, "")
		testkit.Eq(t, "country", get(m, "CompanyInfo.Country"), any(country))
		_, m = h.api(http.MethodGet, "/preferences", nil, "")
		testkit.Eq(t, "default item", get(m, "Preferences.OtherPrefs.NameValue.0.Value"), any(h.fake.DefaultItemID()))
		_, m = h.api(http.MethodGet, "/item/"+h.fake.DefaultItemID(), nil, "")
		testkit.Eq(t, "Services", get(m, "Item.Name"), any("Services"))
		status, _ := h.api(http.MethodGet, "/companyinfo/1", nil, "")
		testkit.Eq(t, "other company info", status, 400)
	}
}

func TestSeedDemoHasEveryStatus(t *testing.T) {
	h := newHarness(t, Options{})
	if err := h.fake.SeedDemo(); err != nil {
		t.Fatal(err)
	}
	today := h.clock.Now().Format(time.DateOnly)
	counts := map[string]int{}
	for _, inv := range h.fake.Invoices() {
		total, bal := inv.TotalAmt.Decimal, inv.Balance.Decimal
		switch {
		case strings.HasPrefix(inv.PrivateNote, "Voided") && total.IsZero():
			counts["voided"]++
		case bal.IsZero():
			counts["paid"]++
		case bal.LessThan(total):
			counts["partial"]++
		default:
			counts["open"]++
		}
		if bal.IsPositive() && inv.DueDate < today {
			counts["overdue"]++
		}
		if inv.EmailStatus == "EmailSent" {
			counts["sent"]++
		}
	}
	for _, s := range []string{"voided", "paid", "partial", "open", "overdue", "sent"} {
		if counts[s] == 0 {
			t.Errorf("no %s invoice in %v", s, counts)
		}
	}
	_, m := h.api(http.MethodGet, "/cdc", url.Values{"entities": {"Invoice"}, "changedSince": {h.clock.Now().Add(-time.Hour).Format(time.RFC3339)}}, "")
	found := false
	for _, inv := range get(m, "CDCResponse.0.QueryResponse.0.Invoice").([]any) {
		found = found || inv.(map[string]any)["status"] == "Deleted"
	}
	testkit.Eq(t, "a deleted invoice in CDC", found, true)

	nl := newHarness(t, Options{Country: "NL"})
	if err := nl.fake.SeedDemo(); err != nil {
		t.Fatal(err)
	}
	testkit.Eq(t, "non-US invoices carry tax", nl.fake.Invoices()[0].TxnTaxDetail.TotalTax.IsPositive(), true)
}

func TestOperationsQuickBooksDoesNotHaveAreAValidationFault(t *testing.T) {
	h := newHarness(t, Options{})
	for _, op := range []struct{ method, path string }{
		{http.MethodGet, "/estimate/1"},        // an entity the fake does not keep
		{http.MethodPost, "/item"},             // a write of an entity the fake does not write
		{http.MethodDelete, "/invoice/1"},      // QuickBooks deletes with POST ?operation=delete
		{http.MethodPost, "/preferences/more"}, // no such path
	} {
		status, m := h.api(op.method, op.path, nil, "{}")
		if status != http.StatusBadRequest || faultCode(m) != "500" {
			t.Errorf("%s %s = %d, code %q; want 400 with fault 500 (Unsupported Operation)", op.method, op.path, status, faultCode(m))
		}
	}
}
