package invoicing

import (
	"errors"
	"strings"
	"testing"
	"time"

	"dealbooks/internal/testkit"
)

// validDraft is a draft that passes Validate; each test breaks one thing.
func validDraft() Draft {
	issued := NewDate(2026, time.March, 13)
	return Draft{
		DealID:    42,
		Customer:  Customer{To: "Acme Ltd", Address: "1 Main St", Email: "billing@acme.example", TaxID: "GB123456789"},
		Currency:  "EUR",
		IssueDate: issued,
		DueDate:   issued.AddDays(7),
		Lines:     []Line{{Name: "Consulting", Quantity: testkit.Dec("2"), UnitPrice: testkit.Dec("150")}},
	}
}

var eurCompany = Company{HomeCurrency: "EUR"}

func TestValidateAcceptsAValidDraft(t *testing.T) {
	if err := Validate(validDraft(), eurCompany); err != nil {
		t.Fatalf("Validate(valid draft) = %v", err)
	}
}

func TestValidate(t *testing.T) {
	manyLines := make([]Line, MaxLines+1)
	for i := range manyLines {
		manyLines[i] = Line{Quantity: testkit.Dec("1"), UnitPrice: testkit.Dec("1")}
	}
	tests := []struct {
		name    string
		company Company
		edit    func(d *Draft)
		field   string
		code    IssueCode
	}{
		{"no currency", eurCompany, func(d *Draft) { d.Currency = "" }, "currency", CurrencyMissing},
		{"custom currency", eurCompany, func(d *Draft) { d.Currency = "BTC" }, "currency", CurrencyNotISO},
		{"lower-case code", eurCompany, func(d *Draft) { d.Currency = "eur" }, "currency", CurrencyNotISO},
		{"linked customer in another currency", Company{HomeCurrency: "EUR", MultiCurrency: true},
			func(d *Draft) { d.Customer.LinkedID, d.Customer.LinkedCurrency = "7", "USD" }, "currency", CurrencyCustomerMismatch},
		{"foreign currency without multicurrency", eurCompany, func(d *Draft) { d.Currency = "USD" }, "currency", CurrencyNotHome},
		{"no customer name", eurCompany, func(d *Draft) { d.Customer.To = "  " }, "customer.to", CustomerNameMissing},
		{"colon in customer name", eurCompany, func(d *Draft) { d.Customer.To = "Acme: Sales" }, "customer.to", CustomerNameInvalid},
		{"tab in customer name", eurCompany, func(d *Draft) { d.Customer.To = "Acme\tLtd" }, "customer.to", CustomerNameInvalid},
		{"newline in customer name", eurCompany, func(d *Draft) { d.Customer.To = "Acme\nLtd" }, "customer.to", CustomerNameInvalid},
		{"e-mail without @", eurCompany, func(d *Draft) { d.Customer.Email = "billing.acme.example" }, "customer.email", EmailInvalid},
		{"e-mail without a dot in the domain", eurCompany, func(d *Draft) { d.Customer.Email = "billing@localhost" }, "customer.email", EmailInvalid},
		{"e-mail with a display name", eurCompany, func(d *Draft) { d.Customer.Email = "Billing <billing@acme.example>" }, "customer.email", EmailInvalid},
		{"two e-mails", eurCompany, func(d *Draft) { d.Customer.Email = "a@acme.example, b@acme.example" }, "customer.email", EmailInvalid},
		{"no issue date", eurCompany, func(d *Draft) { d.IssueDate = Date{} }, "issue_date", IssueDateMissing},
		{"due before issue", eurCompany, func(d *Draft) { d.DueDate = d.IssueDate.AddDays(-1) }, "due_date", DueBeforeIssue},
		{"due more than a year later", eurCompany, func(d *Draft) { d.DueDate = d.IssueDate.AddDays(MaxDueDays + 1) }, "due_date", DueTooLate},
		{"invoice number of 22", eurCompany, func(d *Draft) { d.InvoiceNumber = strings.Repeat("9", 22) }, "invoice_number", InvoiceNumberTooLong},
		{"memo of 4001", eurCompany, func(d *Draft) { d.Memo = strings.Repeat("m", 4001) }, "memo", MemoTooLong},
		{"customer memo of 1001", eurCompany, func(d *Draft) { d.CustomerMemo = strings.Repeat("é", 1001) }, "customer_memo", CustomerMemoTooLong},
		{"no lines", eurCompany, func(d *Draft) { d.Lines = nil }, "lines", LinesMissing},
		{"751 lines", eurCompany, func(d *Draft) { d.Lines = manyLines }, "lines", TooManyLines},
		{"zero quantity", eurCompany, func(d *Draft) { d.Lines[0].Quantity = testkit.Dec("0") }, "lines[0].quantity", QuantityNotPositive},
		{"negative quantity", eurCompany, func(d *Draft) { d.Lines[0].Quantity = testkit.Dec("-1") }, "lines[0].quantity", QuantityNotPositive},
		{"absurd quantity", eurCompany, func(d *Draft) { d.Lines[0].Quantity = testkit.Dec("1234567890123456") }, "lines[0].quantity", TooManyDigits},
		{"negative price", eurCompany, func(d *Draft) { d.Lines[0].UnitPrice = testkit.Dec("-0.01") }, "lines[0].unit_price", PriceNegative},
		{"16 significant digits", eurCompany, func(d *Draft) { d.Lines[0].UnitPrice = testkit.Dec("1234567890.123456") }, "lines[0].unit_price", TooManyDigits},
		{"huge price", eurCompany, func(d *Draft) { d.Lines[0].UnitPrice = testkit.Dec("1e20") }, "lines[0].unit_price", TooManyDigits},
		{"negative line discount", eurCompany, func(d *Draft) { d.Lines[0].Discount = pct("-5") }, "lines[0].discount", DiscountNegative},
		{"line discount over 100%", eurCompany, func(d *Draft) { d.Lines[0].Discount = pct("100.01") }, "lines[0].discount", DiscountTooLarge},
		{"line discount over line amount", eurCompany, func(d *Draft) { d.Lines[0].Discount = amt("300.01") }, "lines[0].discount", DiscountTooLarge},
		{"deal discount over subtotal", eurCompany, func(d *Draft) { d.Discounts = []Discount{amt("300.01")} }, "discounts[0].value", DiscountTooLarge},
		{"deal discounts adding up to more than the subtotal", eurCompany,
			func(d *Draft) { d.Discounts = []Discount{pct("60"), pct("50")} }, "discounts", DiscountTooLarge},
		{"no tax calculation outside the US", eurCompany, func(d *Draft) {
			d.Tax = TaxSettings{Model: TaxGlobal}
			d.Lines[0].TaxCode = "3"
		}, "tax.calculation", TaxCalculationMissing},
		{"negative US tax rate", eurCompany, func(d *Draft) { d.Tax = TaxSettings{Model: TaxUS, TxnTaxCode: "2", TxnTaxRate: testkit.Dec("-8")} }, "tax.rate", TaxRateNegative},
		{"missing tax code outside the US", eurCompany, func(d *Draft) { d.Tax = TaxSettings{Model: TaxGlobal, Calculation: TaxExcluded} }, "lines[0].tax_code", TaxCodeMissing},
		{"negative tax rate", eurCompany, func(d *Draft) {
			d.Tax = TaxSettings{Model: TaxGlobal, Calculation: TaxExcluded}
			d.Lines[0].TaxCode, d.Lines[0].TaxRate = "3", testkit.Dec("-1")
		}, "lines[0].tax_code", TaxRateNegative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDraft()
			tt.edit(&d)
			err := Validate(d, tt.company)
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			if len(verr.Issues) != 1 {
				t.Fatalf("issues = %+v, want exactly one", verr.Issues)
			}
			got := verr.Issues[0]
			if got.Field != tt.field || got.Code != tt.code {
				t.Errorf("issue = %s %s, want %s %s", got.Field, got.Code, tt.field, tt.code)
			}
			if got.Message == "" {
				t.Error("issue has no message")
			}
		})
	}
}

func TestValidateAcceptsLimits(t *testing.T) {
	maxLines := make([]Line, MaxLines)
	for i := range maxLines {
		maxLines[i] = Line{Quantity: testkit.Dec("1"), UnitPrice: testkit.Dec("0")}
	}
	tests := []struct {
		name    string
		company Company
		edit    func(d *Draft)
	}{
		{"750 lines of zero price", eurCompany, func(d *Draft) { d.Lines = maxLines }},
		{"21-character invoice number", eurCompany, func(d *Draft) { d.InvoiceNumber = strings.Repeat("9", 21) }},
		{"memo of 4000", eurCompany, func(d *Draft) { d.Memo = strings.Repeat("m", 4000) }},
		{"customer memo of 1000 with line breaks", eurCompany, func(d *Draft) { d.CustomerMemo = strings.Repeat("a\n", 500) }},
		{"15 significant digits", eurCompany, func(d *Draft) { d.Lines[0].UnitPrice = testkit.Dec("1234567890.12345") }},
		{"trailing zeros do not count", eurCompany, func(d *Draft) { d.Lines[0].UnitPrice = testkit.Dec("1234567890.123450000") }},
		{"fractional quantity", eurCompany, func(d *Draft) { d.Lines[0].Quantity = testkit.Dec("0.25") }},
		{"due on the issue date", eurCompany, func(d *Draft) { d.DueDate = d.IssueDate }},
		{"due 365 days later", eurCompany, func(d *Draft) { d.DueDate = d.IssueDate.AddDays(MaxDueDays) }},
		{"no due date", eurCompany, func(d *Draft) { d.DueDate = Date{} }},
		{"no e-mail", eurCompany, func(d *Draft) { d.Customer.Email = "" }},
		{"linked customer without a name", eurCompany, func(d *Draft) { d.Customer.To, d.Customer.LinkedID = "", "7" }},
		{"linked customer whose Pipedrive name has a colon", eurCompany, func(d *Draft) { d.Customer.To, d.Customer.LinkedID = "Acme: EU", "7" }},
		{"foreign currency with multicurrency", Company{HomeCurrency: "EUR", MultiCurrency: true}, func(d *Draft) { d.Currency = "USD" }},
		{"linked customer in the draft's currency", Company{HomeCurrency: "EUR", MultiCurrency: true},
			func(d *Draft) { d.Currency, d.Customer.LinkedID, d.Customer.LinkedCurrency = "USD", "7", "USD" }},
		{"100% line discount", eurCompany, func(d *Draft) { d.Lines[0].Discount = pct("100") }},
		{"deal discounts equal to the subtotal", eurCompany, func(d *Draft) { d.Discounts = []Discount{pct("50"), amt("150")} }},
		{"tax not applicable needs no tax code", eurCompany, func(d *Draft) { d.Tax = TaxSettings{Model: TaxGlobal, Calculation: NotApplicable} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDraft()
			tt.edit(&d)
			if err := Validate(d, tt.company); err != nil {
				t.Errorf("Validate = %v, want nil", err)
			}
		})
	}
}

func TestValidateReportsEveryIssue(t *testing.T) {
	d := validDraft()
	d.Currency = ""
	d.Customer.To = "A:B"
	d.Lines = append(d.Lines, Line{Quantity: testkit.Dec("0"), UnitPrice: testkit.Dec("-1")})
	err := Validate(d, eurCompany)
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Validate = %v, want a *ValidationError", err)
	}
	want := []string{"currency", "customer.to", "lines[1].quantity", "lines[1].unit_price"}
	if len(verr.Issues) != len(want) {
		t.Fatalf("issues = %+v, want fields %v", verr.Issues, want)
	}
	for i, field := range want {
		if verr.Issues[i].Field != field {
			t.Errorf("issue %d field = %q, want %q", i, verr.Issues[i].Field, field)
		}
	}
	if msg := err.Error(); !strings.Contains(msg, "lines[1].unit_price: ") || !strings.HasPrefix(msg, "invalid invoice draft: ") {
		t.Errorf("Error() = %q", msg)
	}
}

func TestWarningsFlagRecurringProducts(t *testing.T) {
	d := validDraft()
	d.Lines = append(d.Lines, Line{Name: "Hosting", Quantity: testkit.Dec("1"), UnitPrice: testkit.Dec("20"), Recurring: true})
	got := Warnings(d)
	if len(got) != 1 || got[0].Field != "lines[1].recurring" || got[0].Code != RecurringProduct || !strings.Contains(got[0].Message, "Hosting") {
		t.Errorf("Warnings = %+v", got)
	}
	if got := Warnings(validDraft()); len(got) != 0 {
		t.Errorf("Warnings(no recurring lines) = %+v", got)
	}
}

// FuzzValidateText feeds free text into every text field: Validate must not
// panic, must name only fields that exist, and must agree with the rules.
func FuzzValidateText(f *testing.F) {
	// Seeds: names, memos and e-mails from the QuickBooks samples.
	f.Add("Amy's Bird Sanctuary", "Mark@Cho.com", "Thank you for your business and have a great day!", "Voided", "1037")
	f.Add("Sonnenschein Family Store", "Familiystore@intuit.com", "", "", "1069")
	f.Add("A:B\tC\n", "not an email", strings.Repeat("x", 1001), strings.Repeat("y", 4001), strings.Repeat("9", 22))
	f.Add("", "a@b.c", "\x00", "\xff", "PD-1000")
	f.Fuzz(func(t *testing.T, name, email, customerMemo, memo, number string) {
		d := validDraft()
		d.Customer.To, d.Customer.Email, d.CustomerMemo, d.Memo, d.InvoiceNumber = name, email, customerMemo, memo, number
		err := Validate(d, eurCompany)
		if err == nil {
			if strings.ContainsAny(name, ":\t\n\r") || strings.TrimSpace(name) == "" {
				t.Errorf("customer name %q accepted", name)
			}
			return
		}
		var verr *ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("Validate = %v, want a *ValidationError", err)
		}
		known := map[string]bool{"customer.to": true, "customer.email": true, "customer_memo": true, "memo": true, "invoice_number": true}
		for _, is := range verr.Issues {
			if !known[is.Field] || is.Code == "" || is.Message == "" {
				t.Errorf("unexpected issue %+v", is)
			}
		}
	})
}
