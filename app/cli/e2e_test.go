package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"dealbooks/app/demo"
	"dealbooks/app/invoicing"
)

// demoEnv runs the subcommands against the demo workspace: both fakes signed in, a real store, and one
// Service shared by every command, as one long-running process would have.
type demoEnv struct {
	demo *demo.Demo
	svc  *invoicing.Service
}

func newDemoEnv(t *testing.T) *demoEnv {
	t.Helper()
	d := newProfileEnv(t).demo
	svc, err := d.Accounts.Service(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &demoEnv{demo: d, svc: svc}
}

// run runs one subcommand and fails the test unless it succeeds.
func (e *demoEnv) run(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, Env{
		Stdout: &out, Stderr: &errOut,
		OpenService: func(context.Context) (*invoicing.Service, func() error, error) {
			return e.svc, func() error { return nil }, nil
		},
	})
	if code != ExitOK {
		t.Fatalf("dealbooks %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

func TestScriptedInvoiceFromDealToVoidAgainstTheDemo(t *testing.T) {
	e := newDemoEnv(t)

	var deals []dealJSON
	if err := json.Unmarshal([]byte(e.run(t, "deals", "--json")), &deals); err != nil {
		t.Fatal(err)
	}
	if len(deals) < 300 {
		t.Fatalf("deals --json listed %d deals, want the demo's 300", len(deals))
	}
	var deal dealJSON
	for _, d := range deals {
		if d.Currency == "USD" && d.Organization != "" {
			deal = d
			break
		}
	}
	dealID := strconvI(deal.ID)

	var draft draftJSON
	if err := json.Unmarshal([]byte(e.run(t, "invoice", "draft", "--deal", dealID, "--json")), &draft); err != nil {
		t.Fatal(err)
	}
	if draft.Customer.To != deal.Organization || len(draft.Lines) == 0 || !draft.Total.IsPositive() {
		t.Fatalf("draft = %+v, want %q with lines and a total", draft, deal.Organization)
	}

	before := len(e.demo.QuickBooks.Invoices())
	create := []string{"invoice", "create", "--deal", dealID, "--new-customer", "--json"}
	if !draft.Reconcile.Difference.IsZero() {
		// The demo's US company taxes 8 %, its deals carry Pipedrive's 20 %: the draft says so, and
		// create refuses until the difference is accepted.
		if len(draft.Reconcile.Causes) == 0 {
			t.Fatalf("reconciliation %+v names no cause for its difference", draft.Reconcile)
		}
		var out, errOut bytes.Buffer
		code := Run(context.Background(), create, Env{Stdout: &out, Stderr: &errOut,
			OpenService: func(context.Context) (*invoicing.Service, func() error, error) {
				return e.svc, func() error { return nil }, nil
			}})
		if code != 1 || !strings.Contains(errOut.String(), "--accept-difference") || len(e.demo.QuickBooks.Invoices()) != before {
			t.Fatalf("create without --accept-difference: exit %d, %q; want exit 1 naming the flag and no invoice", code, errOut.String())
		}
		create = append(create, "--accept-difference")
	}
	var created invoiceJSON
	if err := json.Unmarshal([]byte(e.run(t, create...)), &created); err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || !created.Total.Equal(draft.Total) || len(e.demo.QuickBooks.Invoices()) != before+1 {
		t.Fatalf("created %+v (draft total %s); QuickBooks went from %d to %d invoices",
			created, draft.Total, before, len(e.demo.QuickBooks.Invoices()))
	}

	// Both totals are the app's; QuickBooks' own TotalAmt is the reference.
	if inv, ok := e.demo.QuickBooks.Invoice(created.ID); !ok || inv.TotalAmt == nil || !created.Total.Equal(inv.TotalAmt.Decimal) {
		t.Errorf("created total %s; QuickBooks holds %+v", created.Total, inv)
	}

	csv := e.run(t, "history", "--deal", dealID, "--csv")
	if !strings.Contains(csv, created.Number) || !strings.Contains(csv, ",Open") {
		t.Errorf("history --csv = %q, want invoice %s as Open", csv, created.Number)
	}

	// The JSON history names the rep who created it: the Pipedrive user the deal's note is by (issue 14).
	var listed []invoiceJSON
	if err := json.Unmarshal([]byte(e.run(t, "history", "--deal", dealID, "--json")), &listed); err != nil {
		t.Fatal(err)
	}
	var noteBy string
	for _, n := range e.demo.Pipedrive.Notes() {
		if strings.Contains(n.Content, created.URL) {
			noteBy = n.User.Name
		}
	}
	if len(listed) != 1 || noteBy == "" || listed[0].CreatedBy != noteBy {
		t.Errorf("history --json = %+v; want the invoice created by %q, who wrote its note", listed, noteBy)
	}

	path := strings.TrimSpace(e.run(t, "invoice", "pdf", created.ID))
	pdf, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("invoice pdf wrote %s (%v), not a PDF", path, err)
	}

	if _, err := e.demo.QuickBooks.RecordPayment(created.ID, draft.Total.Div(decimalTwo)); err != nil {
		t.Fatal(err)
	}
	if out := e.run(t, "refresh"); !strings.Contains(out, "1 invoice(s) changed") {
		t.Errorf("refresh said %q, want the partly paid invoice counted", out)
	}
	if out := e.run(t, "history", "--status", "partially-paid"); !strings.Contains(out, created.Number) {
		t.Errorf("history --status partially-paid = %q, want %s", out, created.Number)
	}
}

var decimalTwo = decimal.NewFromInt(2)

func strconvI(id int64) string { return strconv.FormatInt(id, 10) }
