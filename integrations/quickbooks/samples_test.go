package quickbooks

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/internal/testkit"
)

// exact asserts that d is present and written exactly as want (places included).
func exact(t *testing.T, what string, d *Decimal, want string) {
	t.Helper()
	if d == nil {
		t.Errorf("%s: missing, want %s", what, want)
		return
	}
	got, _ := d.MarshalJSON()
	if string(got) != want {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestDecodeInvoiceSamples(t *testing.T) {
	t.Run("real sandbox read keeps two places", func(t *testing.T) {
		var env struct{ Invoice *Invoice }
		testkit.DecodeJSON(t, "invoice_read_us_open_real_sandbox.json", &env)
		inv := env.Invoice
		eq(t, "Id", inv.ID, "264")
		eq(t, "SyncToken", inv.SyncToken, "0")
		eq(t, "DocNumber", inv.DocNumber, "1041")
		eq(t, "TxnDate", inv.TxnDate.String(), "2020-09-29")
		eq(t, "DueDate", inv.DueDate.String(), "2020-10-29")
		exact(t, "TotalAmt", inv.TotalAmt, "100.00")
		exact(t, "Balance", inv.Balance, "100.00")
		eq(t, "CustomerRef", *inv.CustomerRef, Ref{Value: "1", Name: "Amy's Bird Sanctuary"})
		eq(t, "CurrencyRef", inv.CurrencyRef.Value, "USD")
		eq(t, "lines", len(inv.Line), 2)
		eq(t, "line ItemRef", *inv.Line[0].SalesItemLineDetail.ItemRef, Ref{Value: "1", Name: "Services"})
		eq(t, "line TaxCodeRef", inv.Line[0].SalesItemLineDetail.TaxCodeRef.Value, "NON")
		exact(t, "line Amount", inv.Line[0].Amount, "100.00")
		eq(t, "subtotal type", inv.Line[1].DetailType, SubTotalLine)
		eq(t, "EmailStatus", inv.EmailStatus, "NotSet")
		eq(t, "CreateTime", inv.MetaData.CreateTime.Format(time.RFC3339), "2020-09-29T04:46:06-07:00")
		eq(t, "PrivateNote", inv.PrivateNote == nil, true)
	})
	t.Run("real sandbox void", func(t *testing.T) {
		var env struct{ Invoice *Invoice }
		testkit.DecodeJSON(t, "invoice_void_response_real_sandbox.json", &env)
		inv := env.Invoice
		eq(t, "SyncToken", inv.SyncToken, "1")
		exact(t, "TotalAmt", inv.TotalAmt, "0")
		exact(t, "Balance", inv.Balance, "0")
		exact(t, "line Amount", inv.Line[0].Amount, "0")
		eq(t, "PrivateNote", *inv.PrivateNote, "Voided")
	})
	t.Run("real sandbox delete", func(t *testing.T) {
		var env struct{ Invoice *Invoice }
		testkit.DecodeJSON(t, "invoice_delete_response_real_sandbox.json", &env)
		eq(t, "Id", env.Invoice.ID, "213")
		eq(t, "Deleted", env.Invoice.Deleted(), true)
	})
	t.Run("doc sample with US tax", func(t *testing.T) {
		var env struct{ Invoice *Invoice }
		testkit.DecodeJSON(t, "invoice_read_us_taxed_open.json", &env)
		inv := env.Invoice
		eq(t, "Id", inv.ID, "130")
		exact(t, "TotalAmt", inv.TotalAmt, "362.07")
		exact(t, "TotalTax", inv.TxnTaxDetail.TotalTax, "26.82")
		eq(t, "TxnTaxCodeRef", inv.TxnTaxDetail.TxnTaxCodeRef.Value, "2")
		tl := inv.TxnTaxDetail.TaxLine[0].TaxLineDetail
		exact(t, "TaxPercent", tl.TaxPercent, "8")
		exact(t, "NetAmountTaxable", tl.NetAmountTaxable, "335.25")
		eq(t, "TaxRateRef", tl.TaxRateRef.Value, "3")
		d := inv.Line[2].SalesItemLineDetail
		exact(t, "Qty", d.Qty, "5")
		exact(t, "UnitPrice", d.UnitPrice, "9.5")
		exact(t, "Amount", inv.Line[2].Amount, "47.5")
		eq(t, "LinkedTxn", inv.LinkedTxn[0], LinkedTxn{TxnID: "100", TxnType: "Estimate"})
		eq(t, "BillEmail", inv.BillEmail.Address, "Familiystore@intuit.com")
		eq(t, "SalesTermRef", inv.SalesTermRef.Value, "3")
		eq(t, "CustomField", inv.CustomField[0].StringValue, "102")
		exact(t, "Deposit", inv.Deposit, "0")
	})
	t.Run("doc sample create response", func(t *testing.T) {
		var env struct{ Invoice *Invoice }
		testkit.DecodeJSON(t, "invoice_create_response.json", &env)
		eq(t, "Id", env.Invoice.ID, "238")
		eq(t, "DocNumber", env.Invoice.DocNumber, "1069")
		exact(t, "TotalAmt", env.Invoice.TotalAmt, "100.0")
		eq(t, "DueDate", env.Invoice.DueDate.String(), "2015-08-23")
	})
	t.Run("connector record, taxed", func(t *testing.T) {
		var inv Invoice
		testkit.DecodeJSON(t, "airbyte_invoice_us_open_taxed.json", &inv)
		eq(t, "Id", inv.ID, "119")
		eq(t, "DueDate", inv.DueDate.String(), "2023-03-20")
		exact(t, "TotalAmt", inv.TotalAmt, "314.28")
		exact(t, "Balance", inv.Balance, "314.28")
		exact(t, "TotalTax", inv.TxnTaxDetail.TotalTax, "23.28")
		exact(t, "sprinkler Qty", inv.Line[1].SalesItemLineDetail.Qty, "4")
		exact(t, "sprinkler Amount", inv.Line[1].Amount, "16.0")
		eq(t, "SalesTermRef", *inv.SalesTermRef, Ref{Value: "3", Name: "Net 30"})
		eq(t, "CustomerRef", inv.CustomerRef.Value, "17")
		eq(t, "PrintStatus", inv.PrintStatus, "NeedToPrint")
	})
}

func TestDecodeQueryResponseSamples(t *testing.T) {
	var env struct {
		QueryResponse map[string]json.RawMessage
	}
	testkit.DecodeJSON(t, "invoice_query_response.json", &env)
	var invs []Invoice
	if err := json.Unmarshal(env.QueryResponse["Invoice"], &invs); err != nil {
		t.Fatal(err)
	}
	eq(t, "count", len(invs), 1)
	eq(t, "Id", invs[0].ID, "239")
	exact(t, "TotalAmt", invs[0].TotalAmt, "150.0")
	eq(t, "DocNumber", invs[0].DocNumber, "1070")

	testkit.DecodeJSON(t, "customer_query_by_displayname_real_sandbox.json", &env)
	var custs []Customer
	if err := json.Unmarshal(env.QueryResponse["Customer"], &custs); err != nil {
		t.Fatal(err)
	}
	c := custs[0]
	eq(t, "DisplayName", c.DisplayName, "Amy's Bird Sanctuary")
	exact(t, "Balance", c.Balance, "239.00")
	eq(t, "email", c.PrimaryEmailAddr.Address, "Birds@Intuit.com")
	eq(t, "city", c.BillAddr.City, "Bayshore")
	eq(t, "Taxable", *c.Taxable, true)
	eq(t, "phone", c.PrimaryPhone.FreeFormNumber, "(650) 555-3311")
}

func TestDecodeListSamples(t *testing.T) {
	var c Customer
	testkit.DecodeJSON(t, "airbyte_customer_us.json", &c)
	eq(t, "Id", c.ID, "17")
	exact(t, "Balance", c.Balance, "314.28")
	eq(t, "CurrencyRef", c.CurrencyRef.Value, "USD")
	eq(t, "email", c.PrimaryEmailAddr.Address, "Mark@Cho.com")
	eq(t, "ShipAddr", c.ShipAddr.PostalCode, "94304")
	eq(t, "Active", *c.Active, true)

	var tc TaxCode
	testkit.DecodeJSON(t, "airbyte_taxcode_us_group.json", &tc)
	eq(t, "TaxCode Id", tc.ID, "2")
	eq(t, "TaxGroup", *tc.TaxGroup, true)
	eq(t, "rate ref", tc.SalesTaxRateList.TaxRateDetail[0].TaxRateRef.Value, "3")
	eq(t, "purchase rates", len(tc.PurchaseTaxRateList.TaxRateDetail), 0)

	var tr TaxRate
	testkit.DecodeJSON(t, "airbyte_taxrate_us.json", &tr)
	eq(t, "TaxRate Id", tr.ID, "3")
	exact(t, "RateValue", tr.RateValue, "8")
	eq(t, "AgencyRef", tr.AgencyRef.Value, "2")

	var terms []Term
	testkit.DecodeJSON(t, "airbyte_terms_list.json", &terms)
	eq(t, "terms", len(terms), 5)
	eq(t, "Net 60 days", *terms[0].DueDays, 60)
	eq(t, "Net 10 name", terms[4].Name, "Net 10")
	eq(t, "Net 10 DiscountDays absent", terms[4].DiscountDays == nil, true)

	var p Payment
	testkit.DecodeJSON(t, "airbyte_payment_partial_against_invoice.json", &p)
	exact(t, "TotalAmt", p.TotalAmt, "220.0")
	exact(t, "UnappliedAmt", p.UnappliedAmt, "0")
	eq(t, "invoices", strings.Join(p.InvoiceIDs(), ","), "67")
	eq(t, "TxnDate", p.TxnDate.String(), "2023-02-17")
	exact(t, "line Amount", p.Line[0].Amount, "220.0")
}

func TestDecodeCompanySamples(t *testing.T) {
	var ci struct{ CompanyInfo *CompanyInfo }
	testkit.DecodeJSON(t, "companyinfo_read_us.json", &ci)
	info := ci.CompanyInfo
	eq(t, "CompanyName", info.CompanyName, "Larry's Bakery")
	eq(t, "Country", info.Country, "US")
	eq(t, "CompanyStartDate", info.CompanyStartDate.String(), "2015-06-05")
	eq(t, "addr", info.CompanyAddr.City, "Mountain View")
	eq(t, "sku", info.NameValue[4], NameValue{Name: "OfferingSku", Value: "QuickBooks Online Plus"})

	var pe struct{ Preferences *Preferences }
	testkit.DecodeJSON(t, "preferences_read_us_sandbox.json", &pe)
	prefs := pe.Preferences
	eq(t, "HomeCurrency", prefs.HomeCurrency(), "USD")
	eq(t, "MultiCurrency", prefs.MultiCurrency(), false)
	eq(t, "CustomTxnNumbers", prefs.CustomTxnNumbers(), false)
	eq(t, "DefaultItemID", prefs.DefaultItemID(), "1")
	eq(t, "DefaultTerms", prefs.SalesFormsPrefs.DefaultTerms.Value, "3")
	eq(t, "TaxGroupCodeRef", prefs.TaxPrefs.TaxGroupCodeRef.Value, "2")
	eq(t, "TaxModel", TaxModelOf(info, prefs), TaxUS)
}

func TestTaxModelOf(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		country string
		prefs   Preferences
		want    TaxModel
	}{
		{"US", Preferences{}, TaxNone},
		{"US", Preferences{TaxPrefs: &TaxPrefs{UsingSalesTax: &no}}, TaxNone},
		{"US", Preferences{TaxPrefs: &TaxPrefs{UsingSalesTax: &yes}}, TaxUS},
		{"US", Preferences{TaxPrefs: &TaxPrefs{UsingSalesTax: &yes, PartnerTaxEnabled: &yes}}, TaxUSAutomated},
		{"GB", Preferences{}, TaxGlobal},
		{"", Preferences{TaxPrefs: &TaxPrefs{UsingSalesTax: &yes}}, TaxUS},
	}
	for _, tt := range tests {
		if got := TaxModelOf(&CompanyInfo{Country: tt.country}, &tt.prefs); got != tt.want {
			t.Errorf("%s %+v: got %v, want %v", tt.country, tt.prefs.TaxPrefs, got, tt.want)
		}
	}
}

func TestDecodeCDCSample(t *testing.T) {
	raw := testkit.ReadFile(t, "cdc_response_with_deleted.json")
	var env cdcEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatal(err)
	}
	ch, err := env.changes()
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "time", ch.Time.Format(time.RFC3339Nano), "2015-12-23T12:56:06.196-08:00")
	eq(t, "no invoices in a Customer/Estimate answer", len(ch.Invoices), 0)

	// The same answer for Invoice: the deleted entry must come through.
	asInvoice := strings.ReplaceAll(string(raw), `"Estimate"`, `"Invoice"`)
	if err := json.Unmarshal([]byte(asInvoice), &env); err != nil {
		t.Fatal(err)
	}
	ch, err = env.changes()
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "invoices", len(ch.Invoices), 3)
	last := ch.Invoices[2]
	eq(t, "deleted Id", last.ID, "979")
	eq(t, "deleted", last.Deleted(), true)
	eq(t, "deleted at", last.MetaData.LastUpdatedTime.Format(time.RFC3339), "2015-12-23T12:55:50-08:00")
	eq(t, "first not deleted", ch.Invoices[0].Deleted(), false)
}

func TestParseFaultSamples(t *testing.T) {
	tests := []struct {
		file    string
		code    string
		element string
		is      error
	}{
		{"fault_duplicate_name_6240_customer_create.json", "6240", "", ErrDuplicateName},
		{"fault_object_not_found_610.json", "610", "", ErrNotFound},
		{"fault_query_parse_error_4000.json", "4000", "", nil},
		{"fault_required_param_missing_2020.json", "2020", "Name", nil},
		{"fault_stale_object_5010.json", "5010", "", ErrStaleObject},
	}
	sentinels := []error{ErrAuthExpired, ErrThrottled, ErrNotFound, ErrStaleObject, ErrDuplicateName, ErrDuplicateDocNumber}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := parseFault(testkit.ReadFile(t, tt.file))
			if f == nil {
				t.Fatal("no fault parsed")
			}
			f.StatusCode = 400
			eq(t, "type", f.Type, "ValidationFault")
			eq(t, "code", f.Code(), tt.code)
			eq(t, "element", f.Errors[0].Element, tt.element)
			if f.Errors[0].Message == "" || f.Errors[0].Detail == "" {
				t.Errorf("message or detail missing: %+v", f.Errors[0])
			}
			for _, s := range sentinels {
				if got := errors.Is(f, s); got != (s == tt.is) {
					t.Errorf("errors.Is(%v) = %v", s, got)
				}
			}
		})
	}
}

// The 401 body QuickBooks sends has lowercase keys and a numeric time
// (api/quickbooks.md §2; the sample itself is not shipped).
const lowercase401 = `{"warnings":null,"intuitObject":null,"fault":{"error":[{"message":"message=AuthenticationFailed; errorCode=003200; statusCode=401","detail":"Token expired: 2024-10-27T10:19:54Z","code":"3200","element":null}],"type":"AUTHENTICATION"},"report":null,"queryResponse":null,"batchItemResponse":[],"attachableResponse":[],"syncErrorResponse":null,"requestId":null,"time":1730024394085,"status":null,"cdcresponse":[]}`

func TestParseLowercase401(t *testing.T) {
	f := parseFault([]byte(lowercase401))
	if f == nil {
		t.Fatal("no fault parsed")
	}
	eq(t, "type", f.Type, "AUTHENTICATION")
	eq(t, "code", f.Code(), "3200")
	eq(t, "detail", f.Errors[0].Detail, "Token expired: 2024-10-27T10:19:54Z")
	eq(t, "is auth expired", errors.Is(f, ErrAuthExpired), true)
}

func TestDuplicateTxnFromDetail(t *testing.T) {
	f := &Fault{StatusCode: 400, Errors: []FaultError{{Code: "6140", Message: "Duplicate Document Number Error",
		Detail: "Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=1234 is assigned to TxnType=Credit Memo with TxnId=111"}}}
	typ, id, ok := f.DuplicateTxn()
	eq(t, "ok", ok, true)
	eq(t, "type", typ, "Credit Memo")
	eq(t, "id", id, "111")
	eq(t, "is duplicate doc number", errors.Is(f, ErrDuplicateDocNumber), true)
	if _, _, ok := (&Fault{Errors: []FaultError{{Code: "6140", Detail: "no id here"}}}).DuplicateTxn(); ok {
		t.Error("DuplicateTxn found an id in a detail without one")
	}
}

func TestDecimalKeepsPlaces(t *testing.T) {
	for _, in := range []string{"100.00", "100.0", "100", "0", "23.28", "-4.50", "0.001"} {
		var d Decimal
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(d)
		eq(t, in, string(out), in)
	}
	var d Decimal
	if err := json.Unmarshal([]byte(`"459.00"`), &d); err != nil || !d.Equal(decimal.RequireFromString("459")) {
		t.Errorf("quoted number: %v %v", d, err)
	}
	if err := json.Unmarshal([]byte(`1e`), &d); err == nil {
		t.Error("bad number accepted")
	}
}

func TestDateJSON(t *testing.T) {
	var d Date
	if err := json.Unmarshal([]byte(`"2023-03-20"`), &d); err != nil {
		t.Fatal(err)
	}
	eq(t, "date", d, Date{2023, time.March, 20})
	eq(t, "add", d.AddDays(12).String(), "2023-04-01")
	eq(t, "before", d.Before(Date{2023, time.March, 21}), true)
	out, _ := json.Marshal(d)
	eq(t, "json", string(out), `"2023-03-20"`)
	if err := json.Unmarshal([]byte(`"2023-02-30"`), &d); err == nil {
		t.Error("impossible date accepted")
	}
}

// The request body of a create must have the documented minimal shape.
func TestCreateBodyMatchesDocumentedShape(t *testing.T) {
	inv := Invoice{
		CustomerRef: &Ref{Value: "1"},
		Line: []Line{{DetailType: SalesItemLine, Amount: Dec(decimal.RequireFromString("100.0")),
			SalesItemLineDetail: &SalesItemLineDetail{ItemRef: &Ref{Value: "1", Name: "Services"}}}},
	}
	got, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, got, testkit.ReadFile(t, "invoice_create_request_minimal.json"))
}

func sameJSON(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON differs\n got: %s\nwant: %s", got, want)
	}
}
