package qbofake

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// The parser answers every input with a statement or an error, never a panic.
func FuzzParseQuery(f *testing.F) {
	for _, q := range []string{
		`select * from Invoice where id = '239'`,
		`SELECT * FROM Customer WHERE DisplayName = 'Amy\'s Bird Sanctuary'`,
		`SELECT * FROM Invoice WHERE Id IN ('12', '119', '129') ORDERBY Id DESC STARTPOSITION 1 MAXRESULTS 1000`,
		`SELECT COUNT(*) FROM Invoice`,
		`SELECT * FROM Customer WHERE DisplayName LIKE '%50\\%%'`,
		`SELECT * FROM Invoice WHERE MetaData.LastUpdatedTime > '2024-01-01T00:00:00-08:00'`,
		`SELECT NULL`, // the query of fault_query_parse_error_4000.json
	} {
		f.Add(q)
	}
	co := newCompany(Options{Now: fixedNow, Country: "US", HomeCurrency: "USD"})
	co.seedBasics()
	f.Fuzz(func(t *testing.T, q string) {
		st, err := parseQuery(q)
		if err == nil && st.entity == "" {
			t.Fatalf("%q parsed without an entity", q)
		}
		_, _ = co.runQuery(q)
	})
}

// like never panics and a pattern with no wildcards matches only itself.
func FuzzLike(f *testing.F) {
	f.Add("100% Juice", "%0\\%%")
	f.Add("abc", "a%c")
	f.Fuzz(func(t *testing.T, s, pattern string) {
		got := like(s, pattern)
		if !strings.ContainsAny(pattern, `%\`) && got != strings.EqualFold(s, pattern) {
			t.Fatalf("like(%q, %q) = %v", s, pattern, got)
		}
	})
}

var xrefEntry = regexp.MustCompile(`(\d{10}) 00000 n `)

// The PDF is well formed: header, objects at the offsets its xref names,
// startxref pointing at the xref, and %%EOF.
func TestInvoicePDFIsWellFormed(t *testing.T) {
	h := newHarness(t, Options{})
	cust := h.customer("Smith (& Sons) \\ Ltd – Zürich")
	inv, err := h.fake.AddInvoice(Invoice{CustomerRef: &Ref{Value: cust}, DocNumber: "PD-7", Line: []Line{
		{DetailType: "SalesItemLineDetail", Description: "Consulting", SalesItemLineDetail: &SalesItemLineDetail{Qty: N("2"), UnitPrice: N("75")}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := h.fake.Invoice(inv.ID)
	pdf := invoicePDF("Demo Co", stored)
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatal("no PDF header or trailer")
	}
	for i, m := range xrefEntry.FindAllSubmatch(pdf, -1) {
		off, _ := strconv.Atoi(string(m[1]))
		want := strconv.Itoa(i+1) + " 0 obj"
		if !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %.12q", i+1, pdf[off:])
		}
	}
	sx := bytes.LastIndex(pdf, []byte("startxref\n"))
	off, _ := strconv.Atoi(strings.Fields(string(pdf[sx+len("startxref\n"):]))[0])
	if !bytes.HasPrefix(pdf[off:], []byte("xref\n")) {
		t.Error("startxref does not point at the xref table")
	}
	stream := pdf[bytes.Index(pdf, []byte("stream\n"))+7 : bytes.Index(pdf, []byte("endstream"))]
	if !bytes.Contains(pdf, []byte("/Length "+strconv.Itoa(len(stream))+" ")) {
		t.Errorf("stream length %d not declared", len(stream))
	}
	for _, want := range []string{"INVOICE PD-7", `Smith \(& Sons\) \\ Ltd ? Z?rich`, "Consulting  2 x 75.00  =  150.00 USD", "Total: 150.00 USD"} {
		if !bytes.Contains(stream, []byte(want)) {
			t.Errorf("PDF text lacks %q:\n%s", want, stream)
		}
	}
}

func fixedNow() time.Time { return time.Date(2026, time.March, 13, 10, 0, 0, 0, time.UTC) }

// Whatever invoice a client sends, the fake answers with an invoice or a
// fault; it never panics, and a stored invoice's total adds up.
func FuzzAddInvoice(f *testing.F) {
	f.Add([]byte(`{"Line":[{"DetailType":"SalesItemLineDetail","Amount":100.0,"SalesItemLineDetail":{"ItemRef":{"name":"Services","value":"1"}}}],"CustomerRef":{"value":"8"}}`))
	f.Add([]byte(`{"CustomerRef":{"value":"8"},"ApplyTaxAfterDiscount":true,"Line":[{"DetailType":"SalesItemLineDetail","Amount":0,"SalesItemLineDetail":{"TaxCodeRef":{"value":"TAX"}}},{"DetailType":"DiscountLineDetail","DiscountLineDetail":{"PercentBased":true,"DiscountPercent":10}}]}`))
	f.Add([]byte(`{"CustomerRef":{"value":"8"},"Line":[{"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"Qty":3,"UnitPrice":33.335,"TaxCodeRef":{"value":"TAX"}}}],"TxnTaxDetail":{"TxnTaxCodeRef":{"value":"7"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		co := newCompany(Options{Now: fixedNow, Country: "US", HomeCurrency: "USD"})
		co.seedBasics()
		if _, err := co.addCustomer(Customer{DisplayName: "Acme"}); err != nil {
			t.Fatal(err)
		}
		var inv Invoice
		if json.Unmarshal(body, &inv) != nil {
			return
		}
		out, err := co.addInvoice(inv)
		if err != nil {
			return
		}
		sum := decimal.Zero
		for _, l := range out.Line {
			switch l.DetailType {
			case "SalesItemLineDetail":
				sum = sum.Add(l.Amount.Decimal)
			case "DiscountLineDetail":
				sum = sum.Sub(l.Amount.Decimal)
			}
		}
		sum = sum.Add(out.TxnTaxDetail.TotalTax.Decimal)
		if !sum.Equal(out.TotalAmt.Decimal) {
			t.Fatalf("lines and tax add up to %s, TotalAmt %s", sum, out.TotalAmt)
		}
	})
}
