package invoicing

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/internal/testkit"
)

func TestDeriveStatus(t *testing.T) {
	today := NewDate(2026, time.March, 20)
	yesterday, tomorrow := today.AddDays(-1), today.AddDays(1)
	tests := []struct {
		name string
		in   StatusInput
		want Status
	}{
		{"open, nothing paid", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), DueDate: tomorrow}, Status{State: Open}},
		{"due today is not overdue", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), DueDate: today}, Status{State: Open}},
		{"due yesterday is overdue", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), DueDate: yesterday}, Status{State: Open, Overdue: true}},
		{"no due date is never overdue", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100")}, Status{State: Open}},
		{"partially paid", StatusInput{Total: testkit.Dec("459"), Balance: testkit.Dec("239"), DueDate: tomorrow}, Status{State: PartiallyPaid}},
		{"partially paid and overdue", StatusInput{Total: testkit.Dec("459"), Balance: testkit.Dec("0.01"), DueDate: yesterday}, Status{State: PartiallyPaid, Overdue: true}},
		// QuickBooks: Balance = TotalAmt − Deposit − payments (Intuit invoice reference: "Deposit … reduces
		// Balance"; its sample TotalAmt 52, Deposit 12, Balance 40, no linked Payment).
		{"12 paid by a payment", StatusInput{Total: testkit.Dec("52"), Balance: testkit.Dec("40"), DueDate: tomorrow}, Status{State: PartiallyPaid}},
		{"deposit only is open, not partially paid", StatusInput{Total: testkit.Dec("52"), Deposit: testkit.Dec("12"), Balance: testkit.Dec("40"), DueDate: tomorrow}, Status{State: Open}},
		{"deposit only, overdue", StatusInput{Total: testkit.Dec("52"), Deposit: testkit.Dec("12"), Balance: testkit.Dec("40"), DueDate: yesterday}, Status{State: Open, Overdue: true}},
		{"deposit and a payment", StatusInput{Total: testkit.Dec("52"), Deposit: testkit.Dec("12"), Balance: testkit.Dec("30"), DueDate: tomorrow}, Status{State: PartiallyPaid}},
		{"deposit and payments settle it", StatusInput{Total: testkit.Dec("52"), Deposit: testkit.Dec("12"), Balance: testkit.Dec("0")}, Status{State: Paid}},
		{"deposit of the whole total", StatusInput{Total: testkit.Dec("52"), Deposit: testkit.Dec("52"), Balance: testkit.Dec("0"), DueDate: yesterday}, Status{State: Paid}},
		{"paid", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("0"), DueDate: yesterday}, Status{State: Paid}},
		{"paid and e-mailed", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("0"), EmailStatus: "EmailSent"}, Status{State: Paid, Sent: true}},
		{"overpaid: negative balance", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("-5"), DueDate: yesterday}, Status{State: Paid}},
		{"zero-amount invoice", StatusInput{Total: testkit.Dec("0"), Balance: testkit.Dec("0"), DueDate: yesterday}, Status{State: Paid}},
		{"voided", StatusInput{Total: testkit.Dec("0"), Balance: testkit.Dec("0"), PrivateNote: "Voided", DueDate: yesterday}, Status{State: Voided}},
		{"voided with an earlier memo", StatusInput{Total: testkit.Dec("0"), Balance: testkit.Dec("0"), PrivateNote: "Voided - deal lost"}, Status{State: Voided}},
		{"voided and once e-mailed", StatusInput{Total: testkit.Dec("0"), Balance: testkit.Dec("0"), PrivateNote: "Voided", EmailStatus: "EmailSent"}, Status{State: Voided, Sent: true}},
		{"memo says voided but amounts stand", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), PrivateNote: "Voided?"}, Status{State: Open}},
		{"balance above total", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("120")}, Status{State: Open}},
		{"sent", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), EmailStatus: "EmailSent", DueDate: tomorrow}, Status{State: Open, Sent: true}},
		{"needs sending is not sent", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), EmailStatus: "NeedToSend"}, Status{State: Open}},
		{"sent and overdue", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), EmailStatus: "EmailSent", DueDate: yesterday}, Status{State: Open, Overdue: true, Sent: true}},
		{"deleted wins over everything", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), Deleted: true, Queued: true, EmailStatus: "EmailSent", DueDate: yesterday}, Status{State: Deleted}},
		{"queued in the outbox", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), Queued: true, DueDate: tomorrow}, Status{State: Queued}},
		{"queued past its due date", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), Queued: true, DueDate: yesterday}, Status{State: Queued, Overdue: true}},
		{"queued is never sent", StatusInput{Total: testkit.Dec("100"), Balance: testkit.Dec("100"), Queued: true, EmailStatus: "EmailSent"}, Status{State: Queued}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Today = today
			if got := DeriveStatus(in); got != tt.want {
				t.Errorf("DeriveStatus = %+v (%s), want %+v (%s)", got, got, tt.want, tt.want)
			}
		})
	}
}

func TestStatusString(t *testing.T) {
	tests := []struct {
		s    Status
		want string
	}{
		{Status{State: Open}, "Open"},
		{Status{State: PartiallyPaid, Overdue: true, Sent: true}, "Partially paid, Overdue, Sent"},
		{Status{State: Paid}, "Paid"},
		{Status{State: Voided}, "Voided"},
		{Status{State: Queued, Overdue: true}, "Queued, Overdue"},
		{Status{State: Deleted}, "Deleted"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// statusFromSample builds the status input from a QuickBooks invoice sample.
func statusFromSample(t *testing.T, name string, today Date) StatusInput {
	t.Helper()
	inv := testkit.DecodeWrapped[sampleInvoice](t, name, "Invoice")
	in := StatusInput{
		Total:       inv.TotalAmt,
		Balance:     inv.Balance,
		PrivateNote: inv.PrivateNote,
		EmailStatus: inv.EmailStatus,
		Deleted:     inv.Status == "Deleted",
		Today:       today,
	}
	if inv.DueDate != "" {
		due, err := ParseDate(inv.DueDate)
		if err != nil {
			t.Fatal(err)
		}
		in.DueDate = due
	}
	return in
}

func TestDeriveStatusFromQuickBooksSamples(t *testing.T) {
	tests := []struct {
		file  string
		today string
		want  Status
	}{
		{"invoice_read_us_open_real_sandbox.json", "2020-10-29", Status{State: Open}},                // due that day
		{"invoice_read_us_open_real_sandbox.json", "2020-10-30", Status{State: Open, Overdue: true}}, // a day late
		{"invoice_void_response_real_sandbox.json", "2022-09-02", Status{State: Voided}},
		{"invoice_delete_response_real_sandbox.json", "2026-07-21", Status{State: Deleted}},
		{"invoice_read_us_taxed_open.json", "2014-09-19", Status{State: Open}},
		{"airbyte_invoice_us_open_taxed.json", "2023-03-20", Status{State: Open}},
		{"airbyte_invoice_us_open_taxed.json", "2023-03-21", Status{State: Open, Overdue: true}},
		{"invoice_create_response.json", "2015-07-24", Status{State: Open}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"@"+tt.today, func(t *testing.T) {
			today, err := ParseDate(tt.today)
			if err != nil {
				t.Fatal(err)
			}
			if got := DeriveStatus(statusFromSample(t, tt.file, today)); got != tt.want {
				t.Errorf("DeriveStatus = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestDeriveStatusAfterSamplePartialPayment applies the sample payment (220.00
// against invoice 67, whose open balance was 459.00) to that invoice.
func TestDeriveStatusAfterSamplePartialPayment(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "airbyte_payment_partial_against_invoice.json"))
	if err != nil {
		t.Fatal(err)
	}
	var payment struct {
		Line []struct {
			Amount decimal.Decimal
			LineEx struct {
				Any []struct {
					Value struct{ Name, Value string } `json:"value"`
				} `json:"any"`
			}
		}
	}
	if err := json.Unmarshal(b, &payment); err != nil {
		t.Fatal(err)
	}
	var openBefore decimal.Decimal
	for _, nv := range payment.Line[0].LineEx.Any {
		if nv.Value.Name == "txnOpenBalance" {
			openBefore = testkit.Dec(nv.Value.Value)
		}
	}
	in := StatusInput{Total: openBefore, Balance: openBefore.Sub(payment.Line[0].Amount), Today: NewDate(2023, time.February, 17)}
	if got := DeriveStatus(in); got != (Status{State: PartiallyPaid}) {
		t.Errorf("after paying %s of %s: DeriveStatus = %s, want Partially paid", payment.Line[0].Amount, openBefore, got)
	}
}
