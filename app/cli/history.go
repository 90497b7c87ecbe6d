package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

type historyOptions struct {
	deal   int64
	status string
	json   bool
	csv    bool
}

func parseHistory(args []string) (historyOptions, error) {
	var o historyOptions
	fs := newFlags("history")
	fs.Int64Var(&o.deal, "deal", 0, "")
	fs.StringVar(&o.status, "status", "", "")
	fs.BoolVar(&o.json, "json", false, "")
	fs.BoolVar(&o.csv, "csv", false, "")
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	if o.json && o.csv {
		return o, usageError{"history: choose --json or --csv, not both"}
	}
	if _, _, err := statusFilter(o.status); err != nil {
		return o, err
	}
	return o, nil
}

// statusFilter turns --status into the history query's states, or overdue-only.
func statusFilter(s string) (states []invoicing.State, overdue bool, err error) {
	switch strings.ToLower(s) {
	case "":
		return nil, false, nil
	case "open":
		return []invoicing.State{invoicing.Open}, false, nil
	case "partially-paid":
		return []invoicing.State{invoicing.PartiallyPaid}, false, nil
	case "paid":
		return []invoicing.State{invoicing.Paid}, false, nil
	case "voided", "cancelled": // "cancelled", what the status was once called, still works
		return []invoicing.State{invoicing.Voided}, false, nil
	case "queued":
		return []invoicing.State{invoicing.Queued}, false, nil
	case "deleted":
		return []invoicing.State{invoicing.Deleted}, false, nil
	case "overdue":
		return nil, true, nil
	}
	return nil, false, usageError{fmt.Sprintf("history: unknown status %q", s)}
}

type invoiceJSON struct {
	ID        string          `json:"id,omitempty"`
	Number    string          `json:"number,omitempty"`
	DealID    int64           `json:"deal_id"`
	Customer  string          `json:"customer"`
	IssueDate string          `json:"issue_date"`
	DueDate   string          `json:"due_date,omitempty"`
	Total     decimal.Decimal `json:"total"`
	Balance   decimal.Decimal `json:"balance"`
	Currency  string          `json:"currency"`
	Status    string          `json:"status"`
	URL       string          `json:"url,omitempty"`
	// As QuickBooks reports them; a queued invoice carries its computed tax and discount.
	Tax          decimal.Decimal `json:"tax"`
	Discount     decimal.Decimal `json:"discount"`
	Deposit      decimal.Decimal `json:"deposit"`
	HomeTotal    decimal.Decimal `json:"home_total"`    // 0 for an invoice in the home currency
	ExchangeRate decimal.Decimal `json:"exchange_rate"` // 0 for an invoice in the home currency
	// Who did what (history only): the Pipedrive user who created it in Dealbooks, and the last action a
	// rep took on it there ("sent", "voided" or "deleted") with that rep's name.
	CreatedBy     string `json:"created_by,omitempty"`
	ChangedAction string `json:"changed_action,omitempty"`
	ChangedBy     string `json:"changed_by,omitempty"`
}

func invoiceOut(svc *invoicing.Service, inv invoicing.Invoice, dealID int64, status invoicing.Status) invoiceJSON {
	out := invoiceJSON{
		ID: inv.ID, Number: inv.DocNumber, DealID: dealID, Customer: inv.CustomerName,
		IssueDate: inv.IssueDate.String(), Total: inv.Total, Balance: inv.Balance,
		Currency: inv.Currency, Status: status.String(),
		Tax: inv.Tax, Discount: inv.Discount, Deposit: inv.Deposit, HomeTotal: inv.HomeTotal, ExchangeRate: inv.ExchangeRate,
	}
	if !inv.DueDate.IsZero() {
		out.DueDate = inv.DueDate.String()
	}
	if inv.ID != "" {
		out.URL = svc.InvoiceURL(inv.ID)
	}
	return out
}

func runHistory(ctx context.Context, env Env, svc *invoicing.Service, o historyOptions) error {
	states, overdue, _ := statusFilter(o.status)
	h, err := svc.History(ctx, invoicing.HistoryQuery{DealID: o.deal, States: states, OverdueOnly: overdue})
	if err != nil {
		return err
	}
	switch {
	case o.csv:
		return invoicing.WriteHistoryCSV(env.Stdout, h.Rows())
	case o.json:
		out := make([]invoiceJSON, 0, len(h.Items))
		for _, it := range h.Items {
			j := invoiceOut(svc, it.Invoice, it.DealID, it.Status)
			j.CreatedBy, j.ChangedAction, j.ChangedBy = it.CreatedBy, string(it.LastChange.Action), it.LastChange.By
			out = append(out, j)
		}
		return writeJSON(env.Stdout, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tCUSTOMER\tISSUED\tDUE\tTOTAL\tBALANCE\tSTATUS")
	for _, it := range h.Items {
		inv := it.Invoice
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%s\t%s\n", inv.DocNumber, inv.CustomerName, inv.IssueDate, inv.DueDate,
			money(inv.Total, inv.Currency), inv.Currency, money(inv.Balance, inv.Currency), it.Status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, m := range h.Outstanding {
		fmt.Fprintf(env.Stdout, "outstanding %s\n", m)
	}
	if !h.UpdatedAt.IsZero() {
		fmt.Fprintf(env.Stdout, "updated %s\n", h.UpdatedAt.Local().Format(time.DateTime))
	}
	return nil
}

// --- refresh

func runRefresh(ctx context.Context, env Env, svc *invoicing.Service, _ struct{}) error {
	resumed, err := svc.Resume(ctx)
	if err != nil {
		return err
	}
	r, err := svc.Refresh(ctx)
	if err != nil {
		return err
	}
	elsewhere := ""
	if resumed.Elsewhere > 0 {
		elsewhere = fmt.Sprintf(", %d being sent by another Dealbooks", resumed.Elsewhere)
	}
	fmt.Fprintf(env.Stdout, "%d queued invoice(s) sent, %d still queued%s; %d invoice(s) changed, %d newly paid, %d newly overdue\n",
		resumed.Created, resumed.Queued, elsewhere, r.Changed, len(r.NewlyPaid), len(r.NewlyOverdue))
	return nil
}
