package invoicing

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// HistoryRow is one invoice of the history view, as exported to CSV.
type HistoryRow struct {
	Number    string // DocNumber
	Customer  string
	IssueDate Date
	DueDate   Date
	Total     decimal.Decimal
	Balance   decimal.Decimal
	Currency  string
	Status    Status
}

var historyHeader = []string{"Number", "Customer", "Issue date", "Due date", "Total", "Balance", "Currency", "Status"}

// WriteHistoryCSV writes rows as CSV with a header line: amounts as plain
// decimals with the currency's decimals (1234.50), dates as YYYY-MM-DD and
// the status in English. Text cells that a spreadsheet would run as a
// formula are escaped (see EscapeCell); amounts and dates are written by us
// as numbers and dates, so a negative balance stays a number.
func WriteHistoryCSV(w io.Writer, rows []HistoryRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(historyHeader); err != nil {
		return fmt.Errorf("write history CSV: %w", err)
	}
	for _, r := range rows {
		places := CurrencyDecimals(r.Currency)
		record := []string{
			EscapeCell(r.Number),
			EscapeCell(r.Customer),
			r.IssueDate.String(),
			r.DueDate.String(),
			r.Total.StringFixed(places),
			r.Balance.StringFixed(places),
			EscapeCell(r.Currency),
			r.Status.String(),
		}
		if err := cw.Write(record); err != nil {
			return fmt.Errorf("write history CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write history CSV: %w", err)
	}
	return nil
}

// EscapeCell makes a text cell safe to open in a spreadsheet (OWASP "CSV
// injection"): a cell that starts with =, +, -, @ (or their full-width
// forms ＝ ＋ － ＠), a tab, a carriage return or a line feed gets a leading
// apostrophe, so Excel, LibreOffice and Google Sheets show it as text
// instead of running it as a formula. Spreadsheets skip leading spaces
// before deciding, so " =1+1" and "\u00a0@SUM(A1)" are escaped too.
func EscapeCell(s string) string {
	if s == "" {
		return s
	}
	if strings.ContainsRune("\t\r\n", rune(s[0])) {
		return "'" + s
	}
	rest := strings.TrimLeftFunc(s, unicode.IsSpace)
	if first, _ := utf8.DecodeRuneInString(rest); rest != "" && strings.ContainsRune("=+-@＝＋－＠", first) {
		return "'" + s
	}
	return s
}
