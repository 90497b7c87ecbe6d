package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

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
	case "link":
		return withService(ctx, env, rest, parseLink, runLink)
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
	// ProductCode is the Pipedrive product's code; ItemMatch how the item was found ("sku", "name",
	// "remembered", "chosen", or "default" when nothing matched and the default item is used).
	ProductCode string `json:"product_code,omitempty"`
	ItemMatch   string `json:"item_match,omitempty"`
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
	Invoiced      *invoicedJSON      `json:"already_invoiced,omitempty"`
	Reconcile     reconcileJSON      `json:"reconciliation"`
}

type causeJSON struct {
	Kind           invoicing.CauseKind `json:"kind"`
	Line           int                 `json:"line,omitempty"` // 1-based; 0 for the whole invoice
	Amount         decimal.Decimal     `json:"amount"`
	PipedriveRate  *decimal.Decimal    `json:"pipedrive_rate,omitempty"`
	QuickBooksRate *decimal.Decimal    `json:"quickbooks_rate,omitempty"`
	Message        string              `json:"message"`
}

// reconcileJSON is the invoice held against the deal (invoicing.Reconciliation).
type reconcileJSON struct {
	DealValue   decimal.Decimal `json:"deal_value"`
	ProductsSum decimal.Decimal `json:"products_sum"`
	ProductsNet decimal.Decimal `json:"products_net"`
	ProductsTax decimal.Decimal `json:"products_tax"`
	Basis       invoicing.Basis `json:"basis"`
	Expected    decimal.Decimal `json:"expected"`
	Total       decimal.Decimal `json:"invoice_total"`
	Difference  decimal.Decimal `json:"difference"`
	Causes      []causeJSON     `json:"causes,omitempty"`
}

func reconcileOut(r invoicing.Reconciliation) reconcileJSON {
	out := reconcileJSON{DealValue: r.DealValue, ProductsSum: r.ProductsSum, ProductsNet: r.ProductsNet, ProductsTax: r.ProductsTax,
		Basis: r.Basis, Expected: r.Expected, Total: r.Total, Difference: r.Difference}
	for _, c := range r.Causes {
		cj := causeJSON{Kind: c.Kind, Line: c.Line + 1, Amount: c.Amount, Message: c.Message}
		if c.Kind == invoicing.CauseTaxRate {
			cj.PipedriveRate, cj.QuickBooksRate = &c.PipedriveRate, &c.QuickBooksRate
		}
		out.Causes = append(out.Causes, cj)
	}
	return out
}

// basisText says in one phrase which of the deal's figures the invoice is held to.
func basisText(b invoicing.Basis) string {
	switch b {
	case invoicing.BasisValueWithTax:
		return "the deal value, which includes the tax on top of the products"
	case invoicing.BasisValuePlusTax:
		return "the deal value plus the tax Pipedrive's rates add to the products"
	case invoicing.BasisNoProducts:
		return "the deal value, billed as one line (the deal has no products)"
	case invoicing.BasisNoDeal:
		return "nothing: the draft came from no deal"
	}
	return "the deal value (the prices include the tax, or there is none)"
}

func draftOut(b invoicing.BuiltDraft) draftJSON {
	d := b.Draft
	t := invoicing.ComputeTotals(d)
	out := draftJSON{
		DealID: d.DealID, Customer: d.Customer, Currency: d.Currency,
		IssueDate: d.IssueDate.String(), DueDate: d.DueDate.String(), InvoiceNumber: d.InvoiceNumber,
		Subtotal: t.Subtotal, Discount: t.Discount, Tax: t.Tax, Total: t.Total,
		Reconcile: reconcileOut(invoicing.Reconcile(d, t)),
	}
	for i, l := range d.Lines {
		out.Lines = append(out.Lines, lineJSON{l.Name, l.ItemRef, l.Quantity, t.Lines[i].UnitPrice, t.Lines[i].Amount, l.Recurring,
			l.ProductCode, l.ItemMatch.String()})
	}
	out.Invoiced = invoicedOut(b.Invoiced)
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
	printInvoiced(tw, out.Invoiced)
	fmt.Fprintf(tw, "To\t%s\n", out.Customer.To)
	if out.Customer.LinkedID != "" {
		fmt.Fprintf(tw, "QuickBooks customer\t%s\n", out.Customer.LinkedID)
	}
	fmt.Fprintf(tw, "Address\t%s\n", strings.ReplaceAll(out.Customer.Address, "\n", ", "))
	fmt.Fprintf(tw, "Email\t%s\n", out.Customer.Email)
	fmt.Fprintf(tw, "Issued / due\t%s / %s\n", out.IssueDate, out.DueDate)
	for _, l := range out.Lines {
		fmt.Fprintf(tw, "  %s\t%s × %s = %s%s\n", l.Name, l.Quantity, money(l.UnitPrice, out.Currency), money(l.Amount, out.Currency),
			itemNote(l))
	}
	fmt.Fprintf(tw, "Subtotal\t%s\n", money(out.Subtotal, out.Currency))
	if !out.Discount.IsZero() {
		fmt.Fprintf(tw, "Discount\t-%s\n", money(out.Discount, out.Currency))
	}
	fmt.Fprintf(tw, "Tax\t%s\n", money(out.Tax, out.Currency))
	fmt.Fprintf(tw, "Total\t%s %s\n", money(out.Total, out.Currency), out.Currency)
	r := out.Reconcile
	fmt.Fprintf(tw, "Deal value in Pipedrive\t%s %s\n", money(r.DealValue, out.Currency), out.Currency)
	fmt.Fprintf(tw, "Held to\t%s %s: %s\n", money(r.Expected, out.Currency), out.Currency, basisText(r.Basis))
	if !r.Difference.IsZero() {
		fmt.Fprintf(tw, "Difference\t%s %s\n", signed(r.Difference, out.Currency), out.Currency)
	}
	for _, c := range r.Causes {
		if c.Amount.IsZero() {
			fmt.Fprintf(tw, "  Note\t%s\n", c.Message)
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\n", signed(c.Amount, out.Currency), c.Message)
	}
	for _, m := range out.Matches {
		fmt.Fprintf(tw, "Possible customer\t%s\n", m)
	}
	for _, warning := range out.Warnings {
		fmt.Fprintf(tw, "Warning\t%s\n", warning)
	}
	return tw.Flush()
}

func runDraft(ctx context.Context, env Env, svc *invoicing.Service, o draftOptions) error {
	b, err := buildDraft(ctx, env, svc, o.deal)
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
	acceptDiff     bool
	customer       string
	newCustomer    bool
	updateCustomer bool
	another        bool
	json           bool
}

func parseCreate(args []string) (createOptions, error) {
	var o createOptions
	fs := newFlags("invoice create")
	fs.Int64Var(&o.deal, "deal", 0, "")
	fs.StringVar(&o.customer, "customer", "", "")
	fs.BoolVar(&o.newCustomer, "new-customer", false, "")
	fs.BoolVar(&o.updateCustomer, "update-customer", false, "")
	fs.BoolVar(&o.another, "another", false, "")
	fs.BoolVar(&o.acceptDiff, "accept-difference", false, "")
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
	b, err := buildDraft(ctx, env, svc, o.deal)
	if err != nil {
		return err
	}
	d := b.Draft
	switch {
	case b.ProductsUnknown:
		return adviceError{fmt.Sprintf("Nothing was created: Pipedrive cannot be reached and deal %d was never opened here, so its products are not known. Try again once Pipedrive answers.", o.deal)}
	case b.Offline && d.Customer.LinkedID == "" && o.customer == "" && !o.newCustomer && len(b.Matches) == 0:
		return adviceError{fmt.Sprintf("Nothing was created: deal %d is not linked to a QuickBooks customer and QuickBooks' customers cannot be checked now. Add --new-customer to queue it for a new customer, or --customer ID to link one.", o.deal)}
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
	d.Another = o.another
	if err := invoicing.CheckDifference(d, o.acceptDiff); err != nil {
		return err
	}
	res, err := svc.CreateInvoice(ctx, d)
	if err != nil {
		return err
	}
	if res.Elsewhere {
		fmt.Fprintf(env.Stderr, "dealbooks: another Dealbooks (the window or another command) is sending this invoice right now; `dealbooks history --deal %d` shows it once it is in QuickBooks\n", d.DealID)
		if o.json {
			return writeJSON(env.Stdout, map[string]any{"being_sent_elsewhere": true, "outbox_id": res.Entry.ID})
		}
		return nil
	}
	if res.Queued {
		if o.json {
			return writeJSON(env.Stdout, map[string]any{"queued": true, "outbox_id": res.Entry.ID})
		}
		fmt.Fprintf(env.Stdout, "queued the invoice of deal %d as outbox entry %d: QuickBooks cannot be reached now; `dealbooks refresh` or the window sends it, once, when it answers\n",
			d.DealID, res.Entry.ID)
		return nil
	}
	if res.NoteErr != nil {
		fmt.Fprintln(env.Stderr, "dealbooks: the invoice was created, but the note on the Pipedrive deal was not written:", invoicing.Explain(res.NoteErr))
	}
	out := invoiceOut(svc, res.Invoice, d.DealID, res.Invoice.Status(invoicing.DateOf(time.Now())))
	if o.json {
		return writeJSON(env.Stdout, out)
	}
	fmt.Fprintf(env.Stdout, "created invoice %s (Id %s) for %s %s\n%s\n", out.Number, out.ID, money(out.Total, out.Currency), out.Currency, out.URL)
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
		var ve *invoicing.ValidationError
		if errors.As(err, &ve) && len(ve.Issues) > 0 {
			switch ve.Issues[0].Code {
			case invoicing.EmailMissing:
				return adviceError{fmt.Sprintf("invoice Id %s has no e-mail address in QuickBooks; name one with --to EMAIL", o.id)}
			case invoicing.EmailInvalid:
				return adviceError{fmt.Sprintf("%q is not an e-mail address; give one like name@example.com with --to", strings.TrimSpace(o.to))}
			}
		}
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

type linkOptions struct {
	deal    int64
	numbers []string
}

// parseLink reads "invoice link --deal ID NUMBER...": the invoice numbers may come before or after the flag.
func parseLink(args []string) (linkOptions, error) {
	var o linkOptions
	fs := newFlags("invoice link")
	fs.Int64Var(&o.deal, "deal", 0, "")
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return o, usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
		}
		rest := fs.Args()
		for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
			o.numbers = append(o.numbers, rest[0])
			rest = rest[1:]
		}
		args = rest
	}
	if o.deal <= 0 {
		return o, usageError{"invoice link: --deal ID is required"}
	}
	if len(o.numbers) == 0 {
		return o, usageError{"invoice link: name at least one invoice number"}
	}
	return o, nil
}

// runLink links invoices made in QuickBooks (found by their numbers) to the deal, for the whole team: their
// private note in QuickBooks gets the Dealbooks marker, the deal its note and fields.
func runLink(ctx context.Context, env Env, svc *invoicing.Service, o linkOptions) error {
	invs, err := svc.InvoicesByNumber(ctx, o.numbers)
	if err != nil {
		return err
	}
	ids := make([]string, len(invs))
	for i, inv := range invs {
		ids[i] = inv.ID
	}
	if err := svc.AdoptInvoices(ctx, o.deal, ids); err != nil {
		return err
	}
	for _, inv := range invs {
		fmt.Fprintf(env.Stdout, "linked invoice %s (Id %s, %s, %s) to deal %d\n", inv.DocNumber, inv.ID, inv.CustomerName,
			money(inv.Total, inv.Currency), o.deal)
	}
	return nil
}

// signed writes an amount with its sign, + for a positive one.
func signed(a decimal.Decimal, currency string) string {
	if a.IsPositive() {
		return "+" + money(a, currency)
	}
	return money(a, currency)
}

// buildDraft builds the deal's draft and says on stderr when it comes from what is stored, Pipedrive being
// out of reach. A deal never seen here cannot be drafted offline.
func buildDraft(ctx context.Context, env Env, svc *invoicing.Service, dealID int64) (invoicing.BuiltDraft, error) {
	b, err := svc.BuildDraft(ctx, dealID)
	switch {
	case errors.Is(err, invoicing.ErrReadOnly):
		return b, err
	case errors.Is(err, invoicing.ErrOffline):
		return b, adviceError{fmt.Sprintf("Nothing was created: Pipedrive cannot be reached and deal %d is not stored on this computer (it was never listed or opened here). Try again once Pipedrive answers.", dealID)}
	case err != nil:
		return b, err
	case b.ProductsUnknown:
		fmt.Fprintf(env.Stderr, "dealbooks: Pipedrive cannot be reached; deal %d is drafted from the deal list, without its products, which are not known until it is opened online\n", dealID)
	case b.Offline:
		fmt.Fprintf(env.Stderr, "dealbooks: Pipedrive cannot be reached; this is the draft saved for deal %d\n", dealID)
	}
	return b, nil
}
