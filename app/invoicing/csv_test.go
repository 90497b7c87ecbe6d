package invoicing

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"dealbooks/internal/testkit"
)

func TestWriteHistoryCSV(t *testing.T) {
	rows := []HistoryRow{
		{
			Number: "1037", Customer: "Sonnenschein Family Store",
			IssueDate: NewDate(2014, time.September, 19), DueDate: NewDate(2014, time.October, 19),
			Total: testkit.Dec("362.07"), Balance: testkit.Dec("362.07"), Currency: "USD",
			Status: Status{State: Open, Overdue: true},
		},
		{
			Number: "PD-7", Customer: "=HYPERLINK(\"http://evil.example\",\"x\")",
			IssueDate: NewDate(2026, time.March, 13), DueDate: NewDate(2026, time.March, 20),
			Total: testkit.Dec("1000"), Balance: testkit.Dec("-2.5"), Currency: "JPY",
			Status: Status{State: Paid},
		},
		{
			Number: "-1", Customer: "@SUM(A1)", Total: testkit.Dec("0"), Balance: testkit.Dec("0"), Currency: "KWD",
			Status: Status{State: Voided},
		},
	}
	var buf bytes.Buffer
	if err := WriteHistoryCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	want := "Number,Customer,Issue date,Due date,Total,Balance,Currency,Status\n" +
		"1037,Sonnenschein Family Store,2014-09-19,2014-10-19,362.07,362.07,USD,\"Open, Overdue\"\n" +
		"PD-7,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",2026-03-13,2026-03-20,1000,-3,JPY,Paid\n" +
		"'-1,'@SUM(A1),,,0.000,0.000,KWD,Voided\n"
	if buf.String() != want {
		t.Errorf("CSV =\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestEscapeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Acme", "Acme"},
		{"=1+1", "'=1+1"},
		{"+31 20 123", "'+31 20 123"},
		{"-cmd", "'-cmd"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"\n=1+1", "'\n=1+1"},
		{"\nAcme", "'\nAcme"},
		{" =1+1", "' =1+1"},
		{"   @SUM(A1)", "'   @SUM(A1)"},
		{"\u00a0-2+3", "'\u00a0-2+3"},
		{"\u3000+1", "'\u3000+1"},
		{"＝1+1", "'＝1+1"},
		{"＠SUM(A1)", "'＠SUM(A1)"},
		{" Acme", " Acme"},
		{"   ", "   "},
		{"a=1", "a=1"},
		{"'quoted", "'quoted"},
	}
	for _, tt := range tests {
		if got := EscapeCell(tt.in); got != tt.want {
			t.Errorf("EscapeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

var errWrite = errors.New("disk full")

func TestWriteHistoryCSVReportsWriteErrors(t *testing.T) {
	if err := WriteHistoryCSV(failingWriter{}, []HistoryRow{{Number: "1"}}); err == nil {
		t.Error("WriteHistoryCSV to a failing writer returned nil")
	}
}

// FuzzHistoryCSV writes arbitrary text cells and reads them back: every
// cell must come back as written (escaped when dangerous), and no cell may
// start with a character a spreadsheet would run.
func FuzzHistoryCSV(f *testing.F) {
	// Seeds: customer names and numbers from the QuickBooks samples, and attacks.
	f.Add("1037", "Amy's Bird Sanctuary")
	f.Add("1035", "Mark Cho")
	f.Add("=cmd|' /C calc'!A0", "+SUM(1)")
	f.Add("-2", "@x")
	f.Add("\tx", "\r\n=1")
	f.Add("a,\"b\"\nc", "")
	f.Fuzz(func(t *testing.T, number, customer string) {
		var buf bytes.Buffer
		row := HistoryRow{Number: number, Customer: customer, Total: testkit.Dec("1"), Balance: testkit.Dec("1"), Currency: "EUR"}
		if err := WriteHistoryCSV(&buf, []HistoryRow{row}); err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("reading back %q: %v", buf.String(), err)
		}
		if len(records) != 2 || len(records[1]) != len(historyHeader) {
			t.Fatalf("read back %q as %q", buf.String(), records)
		}
		for i, original := range []string{number, customer} {
			got := records[1][i]
			// encoding/csv drops a carriage return before a line feed.
			want := strings.ReplaceAll(EscapeCell(original), "\r\n", "\n")
			if got != want {
				t.Errorf("cell %d read back %q, want %q", i, got, want)
			}
			if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
				t.Errorf("cell %d starts with a formula character: %q", i, got)
			}
		}
	})
}
