package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

// newFlags is a flag set that reports errors instead of exiting, and prints nothing itself.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args and refuses stray positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected %q", fs.Name(), fs.Args())}
	}
	return nil
}

func parseNone(args []string) (struct{}, error) {
	return struct{}{}, parseFlags(newFlags("refresh"), args)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// --- deals

type dealsOptions struct {
	search string
	json   bool
}

func parseDeals(args []string) (dealsOptions, error) {
	var o dealsOptions
	fs := newFlags("deals")
	fs.StringVar(&o.search, "search", "", "")
	fs.BoolVar(&o.json, "json", false, "")
	return o, parseFlags(fs, args)
}

type dealJSON struct {
	ID           int64           `json:"id"`
	Title        string          `json:"title"`
	Organization string          `json:"organization,omitempty"`
	Person       string          `json:"person,omitempty"`
	Value        decimal.Decimal `json:"value"`
	Currency     string          `json:"currency"`
	Status       string          `json:"status"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

// runDeals brings the cache up to date when Pipedrive answers, then lists from the cache, so it also works
// offline.
func runDeals(ctx context.Context, env Env, svc *invoicing.Service, o dealsOptions) error {
	if _, err := svc.RefreshDeals(ctx); err != nil {
		if !errors.Is(err, invoicing.ErrOffline) {
			return err
		}
		fmt.Fprintln(env.Stderr, "dealbooks: Pipedrive cannot be reached; listing the deals seen before")
	}
	var deals []invoicing.Deal
	if o.search != "" {
		found, err := svc.SearchDeals(ctx, invoicing.DealQuery{Text: o.search})
		if err != nil {
			return err
		}
		deals = found.Deals
	} else {
		list, err := svc.Deals(ctx, invoicing.DealQuery{})
		if err != nil {
			return err
		}
		deals = list.Deals
	}
	if o.json {
		out := make([]dealJSON, 0, len(deals))
		for _, d := range deals {
			out = append(out, dealJSON{d.ID, d.Title, d.OrgName, d.PersonName, d.Value, d.Currency, string(d.Status), d.UpdatedAt.UTC()})
		}
		return writeJSON(env.Stdout, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tORGANIZATION\tVALUE\tSTATUS")
	for _, d := range deals {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s %s\t%s\n", d.ID, d.Title, d.OrgName, d.Value.StringFixed(invoicing.CurrencyDecimals(d.Currency)), d.Currency, d.Status)
	}
	return tw.Flush()
}

// --- history

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
	case "cancelled", "voided":
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
}

func invoiceOut(svc *invoicing.Service, inv invoicing.Invoice, dealID int64, status invoicing.Status) invoiceJSON {
	out := invoiceJSON{
		ID: inv.ID, Number: inv.DocNumber, DealID: dealID, Customer: inv.CustomerName,
		IssueDate: inv.IssueDate.String(), Total: inv.Total, Balance: inv.Balance,
		Currency: inv.Currency, Status: status.String(),
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
			out = append(out, invoiceOut(svc, it.Invoice, it.DealID, it.Status))
		}
		return writeJSON(env.Stdout, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tCUSTOMER\tISSUED\tDUE\tTOTAL\tBALANCE\tSTATUS")
	for _, it := range h.Items {
		inv := it.Invoice
		places := invoicing.CurrencyDecimals(inv.Currency)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%s\t%s\n", inv.DocNumber, inv.CustomerName, inv.IssueDate, inv.DueDate,
			inv.Total.StringFixed(places), inv.Currency, inv.Balance.StringFixed(places), it.Status)
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
	fmt.Fprintf(env.Stdout, "%d queued invoice(s) sent, %d still queued; %d invoice(s) changed, %d newly paid, %d newly overdue\n",
		resumed.Created, resumed.Queued, r.Changed, len(r.NewlyPaid), len(r.NewlyOverdue))
	return nil
}

// --- invoice

func runInvoice(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(env.Stderr, "dealbooks invoice: name an action\n\n%s", usage)
		return ExitUsage
	}
	action, rest := args[0], args[1:]
	switch action {
	case "draft":
		return withService(ctx, env, rest, parseDraft, runDraft)
	case "create":
		return withService(ctx, env, rest, parseCreate, runCreate)
	case "void", "delete", "pdf", "send":
		return withService(ctx, env, rest, actionParser(action), runAction)
	}
	fmt.Fprintf(env.Stderr, "dealbooks invoice: unknown action %q\n\n%s", action, usage)
	return ExitUsage
}

type draftOptions struct {
	deal int64
	json bool
}

func parseDraft(args []string) (draftOptions, error) {
	var o draftOptions
	fs := newFlags("invoice draft")
	fs.Int64Var(&o.deal, "deal", 0, "")
	fs.BoolVar(&o.json, "json", false, "")
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	if o.deal <= 0 {
		return o, usageError{"invoice draft: --deal ID is required"}
	}
	return o, nil
}

type lineJSON struct {
	Name      string          `json:"name"`
	ItemRef   string          `json:"item_ref,omitempty"`
	Quantity  decimal.Decimal `json:"quantity"`
	UnitPrice decimal.Decimal `json:"unit_price"`
	Amount    decimal.Decimal `json:"amount"`
	Recurring bool            `json:"recurring,omitempty"`
}

type draftJSON struct {
	DealID        int64              `json:"deal_id"`
	Customer      invoicing.Customer `json:"customer"`
	Currency      string             `json:"currency"`
	IssueDate     string             `json:"issue_date"`
	DueDate       string             `json:"due_date"`
	InvoiceNumber string             `json:"invoice_number,omitempty"`
	Lines         []lineJSON         `json:"lines"`
	Subtotal      decimal.Decimal    `json:"subtotal"`
	Discount      decimal.Decimal    `json:"discount"`
	Tax           decimal.Decimal    `json:"tax"`
	Total         decimal.Decimal    `json:"total"`
	Matches       []string           `json:"customer_matches,omitempty"`
	Warnings      []string           `json:"warnings,omitempty"`
}

func draftOut(b invoicing.BuiltDraft) draftJSON {
	d := b.Draft
	t := invoicing.ComputeTotals(d)
	out := draftJSON{
		DealID: d.DealID, Customer: d.Customer, Currency: d.Currency,
		IssueDate: d.IssueDate.String(), DueDate: d.DueDate.String(), InvoiceNumber: d.InvoiceNumber,
		Subtotal: t.Subtotal, Discount: t.Discount, Tax: t.Tax, Total: t.Total,
	}
	for i, l := range d.Lines {
		out.Lines = append(out.Lines, lineJSON{l.Name, l.ItemRef, l.Quantity, t.Lines[i].UnitPrice, t.Lines[i].Amount, l.Recurring})
	}
	for _, m := range b.Matches {
		out.Matches = append(out.Matches, fmt.Sprintf("%s (%s)", m.Customer.DisplayName, m.Customer.ID))
	}
	for _, w := range b.Warnings {
		out.Warnings = append(out.Warnings, w.Message)
	}
	return out
}

func printDraft(w io.Writer, out draftJSON) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Deal\t%d\n", out.DealID)
	fmt.Fprintf(tw, "To\t%s\n", out.Customer.To)
	if out.Customer.LinkedID != "" {
		fmt.Fprintf(tw, "QuickBooks customer\t%s\n", out.Customer.LinkedID)
	}
	fmt.Fprintf(tw, "Address\t%s\n", strings.ReplaceAll(out.Customer.Address, "\n", ", "))
	fmt.Fprintf(tw, "Email\t%s\n", out.Customer.Email)
	fmt.Fprintf(tw, "Issued / due\t%s / %s\n", out.IssueDate, out.DueDate)
	for _, l := range out.Lines {
		fmt.Fprintf(tw, "  %s\t%s × %s = %s\n", l.Name, l.Quantity, l.UnitPrice, l.Amount)
	}
	fmt.Fprintf(tw, "Subtotal\t%s\n", out.Subtotal)
	if !out.Discount.IsZero() {
		fmt.Fprintf(tw, "Discount\t-%s\n", out.Discount)
	}
	fmt.Fprintf(tw, "Tax\t%s\n", out.Tax)
	fmt.Fprintf(tw, "Total\t%s %s\n", out.Total, out.Currency)
	for _, m := range out.Matches {
		fmt.Fprintf(tw, "Possible customer\t%s\n", m)
	}
	for _, warning := range out.Warnings {
		fmt.Fprintf(tw, "Warning\t%s\n", warning)
	}
	return tw.Flush()
}

func runDraft(ctx context.Context, env Env, svc *invoicing.Service, o draftOptions) error {
	b, err := svc.BuildDraft(ctx, o.deal)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(env.Stdout, draftOut(b))
	}
	return printDraft(env.Stdout, draftOut(b))
}

type createOptions struct {
	deal           int64
	customer       string
	newCustomer    bool
	updateCustomer bool
	json           bool
}

func parseCreate(args []string) (createOptions, error) {
	var o createOptions
	fs := newFlags("invoice create")
	fs.Int64Var(&o.deal, "deal", 0, "")
	fs.StringVar(&o.customer, "customer", "", "")
	fs.BoolVar(&o.newCustomer, "new-customer", false, "")
	fs.BoolVar(&o.updateCustomer, "update-customer", false, "")
	fs.BoolVar(&o.json, "json", false, "")
	if err := parseFlags(fs, args); err != nil {
		return o, err
	}
	switch {
	case o.deal <= 0:
		return o, usageError{"invoice create: --deal ID is required"}
	case o.customer != "" && o.newCustomer:
		return o, usageError{"invoice create: choose --customer ID or --new-customer, not both"}
	}
	return o, nil
}

// runCreate builds the deal's draft, settles its customer as told, and creates the invoice exactly once.
func runCreate(ctx context.Context, env Env, svc *invoicing.Service, o createOptions) error {
	b, err := svc.BuildDraft(ctx, o.deal)
	if err != nil {
		return err
	}
	d := b.Draft
	switch {
	case o.customer != "":
		if d, err = svc.LinkCustomer(ctx, d, o.customer); err != nil {
			return err
		}
	case o.newCustomer:
		d.Customer.LinkedID, d.Customer.LinkedCurrency = "", ""
	case d.Customer.LinkedID == "" && len(b.Matches) > 0:
		var names []string
		for _, m := range b.Matches {
			names = append(names, fmt.Sprintf("%s (--customer %s)", m.Customer.DisplayName, m.Customer.ID))
		}
		return fmt.Errorf("QuickBooks has customers that may be this one: %s; choose one with --customer ID, or create a new one with --new-customer",
			strings.Join(names, ", "))
	}
	d.Customer.UpdateInQuickBooks = o.updateCustomer
	res, err := svc.CreateInvoice(ctx, d)
	if err != nil {
		return err
	}
	if res.Queued {
		fmt.Fprintln(env.Stderr, "dealbooks: QuickBooks cannot be reached; the invoice is queued and will be sent once by `dealbooks refresh` or the window")
		if o.json {
			return writeJSON(env.Stdout, map[string]any{"queued": true, "outbox_id": res.Entry.ID})
		}
		return nil
	}
	if res.NoteErr != nil {
		fmt.Fprintln(env.Stderr, "dealbooks: the invoice was created, but the note on the Pipedrive deal was not written:", invoicing.Explain(res.NoteErr))
	}
	out := invoiceOut(svc, res.Invoice, d.DealID, res.Invoice.Status(invoicing.DateOf(time.Now())))
	if o.json {
		return writeJSON(env.Stdout, out)
	}
	fmt.Fprintf(env.Stdout, "created invoice %s (Id %s) for %s %s\n%s\n", out.Number, out.ID, out.Total, out.Currency, out.URL)
	return nil
}

type actionOptions struct {
	action string
	id     string
	to     string
}

// actionParser parses "ID" (and --to EMAIL for send) for one invoice action.
func actionParser(action string) func([]string) (actionOptions, error) {
	return func(args []string) (actionOptions, error) {
		o := actionOptions{action: action}
		fs := newFlags("invoice " + action)
		if action == "send" {
			fs.StringVar(&o.to, "to", "", "")
		}
		// The invoice Id comes first; flags may follow it.
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return o, usageError{fmt.Sprintf("invoice %s: the invoice Id is required", action)}
		}
		o.id = args[0]
		if _, err := strconv.ParseUint(o.id, 10, 64); err != nil {
			return o, usageError{fmt.Sprintf("invoice %s: %q is not a QuickBooks invoice Id", action, o.id)}
		}
		return o, parseFlags(fs, args[1:])
	}
}

func runAction(ctx context.Context, env Env, svc *invoicing.Service, o actionOptions) error {
	switch o.action {
	case "void":
		inv, err := svc.Void(ctx, o.id)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "voided invoice %s (Id %s)\n", inv.DocNumber, inv.ID)
	case "delete":
		inv, err := svc.Delete(ctx, o.id)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "deleted invoice %s (Id %s)\n", inv.DocNumber, inv.ID)
	case "send":
		inv, err := svc.Send(ctx, o.id, o.to)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "QuickBooks e-mailed invoice %s to %s\n", inv.DocNumber, inv.BillEmail)
	case "pdf":
		path, err := svc.PDF(ctx, o.id)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, path)
	}
	return nil
}
