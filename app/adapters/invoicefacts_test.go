package adapters

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
	"dealbooks/internal/testkit"
)

// The invoice as QuickBooks reports it keeps its tax total, discount, deposit, home-currency total and
// exchange rate; the expected figures are the samples' own.
func TestInvoiceKeepsQuickBooksFiguresFromSamples(t *testing.T) {
	tests := []struct {
		file                                   string
		total, balance, tax, discount, deposit string
	}{
		// Intuit's sample invoice 130: three lines (335.25), 8 % tax 26.82, Deposit 0.
		{"invoice_read_us_taxed_open.json", "362.07", "362.07", "26.82", "0", "0"},
		// A real sandbox invoice 119 (airbyte record): 291.00 + 23.28 tax, no Deposit field.
		{"airbyte_invoice_us_open_taxed.json", "314.28", "314.28", "23.28", "0", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := invoice(testkit.DecodeWrapped[*quickbooks.Invoice](t, tt.file, "Invoice"))
			for _, c := range []struct {
				what      string
				got, want decimal.Decimal
			}{
				{"Total", got.Total, testkit.Dec(tt.total)}, {"Balance", got.Balance, testkit.Dec(tt.balance)}, {"Tax", got.Tax, testkit.Dec(tt.tax)},
				{"Discount", got.Discount, testkit.Dec(tt.discount)}, {"Deposit", got.Deposit, testkit.Dec(tt.deposit)},
				{"HomeTotal (home currency)", got.HomeTotal, decimal.Zero}, {"ExchangeRate (home currency)", got.ExchangeRate, decimal.Zero},
			} {
				if !c.got.Equal(c.want) {
					t.Errorf("%s = %s, want %s", c.what, c.got, c.want)
				}
			}
			if st := got.Status(invoicing.NewDate(2000, time.January, 1)); st.State != invoicing.Open {
				t.Errorf("status = %v, want Open", st)
			}
		})
	}
}

// A deposit taken on the invoice lowers Balance but is no payment: the invoice reads Open and can be
// deleted; its discount line is kept as the discount.
func TestInvoiceWithDepositAndDiscount(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	c := mustCustomer(t, e, "Deposit Co")
	req := simpleInvoice(e, c.ID, "DEP-1")
	req.Discount = testkit.Dec("10")
	created := mustInvoice(t, e, req, "dep-1")
	if !created.Discount.Equal(testkit.Dec("10")) || !created.Total.Equal(testkit.Dec("90")) {
		t.Errorf("created invoice: discount %s, total %s; want 10 and 90", created.Discount, created.Total)
	}
	// The fake's own store takes the deposit, as QuickBooks' form does (Deposit 12 of TotalAmt 52 in
	// Intuit's reference leaves Balance 40).
	added, err := e.fake.AddInvoice(qbofake.Invoice{CustomerRef: &qbofake.Ref{Value: c.ID}, Deposit: qbofake.N("12"),
		Line: []qbofake.Line{{DetailType: "SalesItemLineDetail", Amount: qbofake.N("52"),
			SalesItemLineDetail: &qbofake.SalesItemLineDetail{ItemRef: &qbofake.Ref{Value: e.fake.DefaultItemID()}, TaxCodeRef: &qbofake.Ref{Value: "NON"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := e.acct.Invoice(ctx, added.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Total.Equal(testkit.Dec("52")) || !got.Deposit.Equal(testkit.Dec("12")) || !got.Balance.Equal(testkit.Dec("40")) {
		t.Errorf("invoice = total %s, deposit %s, balance %s; want 52, 12, 40", got.Total, got.Deposit, got.Balance)
	}
	if st := got.Status(invoicing.NewDate(2000, time.January, 1)); st.State != invoicing.Open {
		t.Errorf("status with only a deposit = %v, want Open", st)
	}
	if err := e.acct.DeleteInvoice(ctx, got.ID, got.SyncToken, "del-dep"); err != nil {
		t.Errorf("QuickBooks refused to delete an invoice with only a deposit: %v", err)
	}
}

// An invoice in a foreign currency carries QuickBooks' exchange rate and its total in the home currency.
func TestInvoiceInForeignCurrencyKeepsHomeTotal(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{MultiCurrency: true})
	c, err := e.acct.CreateCustomer(context.Background(), invoicing.NewCustomer{DisplayName: "Globex BV", Currency: "EUR"}, "cust-eur")
	if err != nil {
		t.Fatal(err)
	}
	req := simpleInvoice(e, c.ID, "EUR-1")
	req.Currency = "EUR"
	inv := mustInvoice(t, e, req, "eur-1")
	if !inv.ExchangeRate.IsPositive() || inv.ExchangeRate.Equal(decimal.NewFromInt(1)) {
		t.Fatalf("exchange rate = %s, want QuickBooks' EUR rate", inv.ExchangeRate)
	}
	if want := inv.Total.Mul(inv.ExchangeRate).Round(2); !inv.HomeTotal.Equal(want) {
		t.Errorf("home total = %s, want %s × %s = %s", inv.HomeTotal, inv.Total, inv.ExchangeRate, want)
	}
}

// Items carry their SKU, which deal products are matched by.
func TestItemsCarryTheirSku(t *testing.T) {
	e := newQuickBooksEnv(t, qbofake.Options{})
	if _, err := e.fake.AddItem(qbofake.Item{Name: "Barcode scanner", Sku: "HW-X200"}); err != nil {
		t.Fatal(err)
	}
	items, err := e.acct.Items(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	skus := map[string]string{}
	for _, it := range items {
		skus[it.Name] = it.Sku
	}
	if skus["Barcode scanner"] != "HW-X200" || skus["Services"] != "" {
		t.Errorf("SKUs by item = %v", skus)
	}
}
