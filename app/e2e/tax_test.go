package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/oauth2"

	"dealbooks/app/adapters"
	"dealbooks/app/cli"
	"dealbooks/app/invoicing"
	"dealbooks/app/store"
	"dealbooks/integrations/pipedrive"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
	"dealbooks/internal/clock"
)

// TestEveryDealBillsWhatTheDealSays sends every seeded Pipedrive deal through `invoice draft` and
// `invoice create` for a US, a UK and an AU QuickBooks company, over the real adapters and both fakes,
// and holds QuickBooks' TotalAmt (as the fake computed it) to the deal itself: the value Pipedrive has,
// plus the tax its products put on top when the prices exclude tax and the value leaves it out (both
// readings are seeded). An invoice that bills otherwise must have been shown with its difference and its
// causes, and refused until the difference was accepted. The draft's total must be QuickBooks' TotalAmt.
func TestEveryDealBillsWhatTheDealSays(t *testing.T) {
	for _, c := range []struct {
		country, home, taxCode string
	}{{"US", "USD", ""}, {"GB", "GBP", "20.0% S"}, {"AU", "AUD", "GST"}} {
		t.Run(c.country, func(t *testing.T) {
			e := newTaxStack(t, c.country, c.home, c.taxCode)
			counts, kinds := map[string]int{}, map[string]int{}
			for _, deal := range e.data.Deals {
				counts[e.check(t, deal)]++
				kinds[e.kind(deal)]++
			}
			t.Logf("%s: %v %v", c.country, counts, kinds)
			if counts["matched"] == 0 || counts["accepted"] == 0 {
				t.Errorf("%v: want deals that match and deals with an accepted difference", counts)
			}
			for _, k := range []string{"inclusive", "exclusive, value with tax", "exclusive, tax on top", "none", "no products"} {
				if kinds[k] == 0 {
					t.Errorf("no seeded deal is %s: %v", k, kinds)
				}
			}
		})
	}
}

type taxStack struct {
	data      pipedrivefake.Dataset
	qbo       *qbofake.Server
	svc       *invoicing.Service
	customers map[string]string // currency → QuickBooks customer Id
}

func newTaxStack(t *testing.T, country, home, taxCode string) *taxStack {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC))
	e := &taxStack{customers: map[string]string{}}
	e.data = pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 7, Deals: 80, Now: clk.Now()})
	pdSrv := httptest.NewServer(pipedrivefake.New(pipedrivefake.Options{Dataset: &e.data, BurstLimit: 1 << 20}))
	t.Cleanup(pdSrv.Close)
	e.qbo = qbofake.New(qbofake.Options{Now: clk.Now, Unlimited: true, Country: country, HomeCurrency: home, MultiCurrency: true})
	qbSrv := httptest.NewServer(e.qbo)
	t.Cleanup(qbSrv.Close)

	pd, err := pipedrive.New(pipedrive.Config{APIToken: pipedrivefake.DefaultAPIToken, BaseURL: pdSrv.URL, Clock: clock.Instant{}})
	if err != nil {
		t.Fatal(err)
	}
	qb, err := quickbooks.New(quickbooks.Config{BaseURL: qbSrv.URL, RealmID: e.qbo.RealmID(),
		TokenSource: oauth2.StaticTokenSource(e.qbo.IssueTokens()), Clock: clock.Instant{}, RequestsPerMinute: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "dealbooks.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	repo, err := db.Repository(ctx, strconv.FormatInt(e.data.Me.CompanyID, 10), e.qbo.RealmID())
	if err != nil {
		t.Fatal(err)
	}
	prefs := invoicing.DefaultPreferences()
	prefs.DefaultItemID = e.qbo.DefaultItemID()
	if taxCode != "" {
		prefs.DefaultTaxCode = e.qbo.TaxCodeID(taxCode)
	}
	prefs.WriteNote = false
	if err := repo.SavePreferences(ctx, prefs); err != nil {
		t.Fatal(err)
	}
	e.svc = invoicing.NewService(invoicing.Config{
		CRM:        adapters.NewPipedrive(pd, adapters.Options{}),
		Accounting: adapters.NewQuickBooks(qb, adapters.Options{}),
		Repository: repo,
		Files:      adapters.NewFolder(t.TempDir()),
		Now:        clk.Now,
	})
	for _, cur := range []string{"USD", "EUR", "GBP", "SEK"} {
		cust, err := e.qbo.AddCustomer(qbofake.Customer{DisplayName: "Tax test " + cur, CurrencyRef: &qbofake.Ref{Value: cur}})
		if err != nil {
			t.Fatal(err)
		}
		e.customers[cur] = cust.ID
	}
	return e
}

// run runs the command line over the stack's service.
func (e *taxStack) run(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, cli.Env{Stdout: &out, Stderr: &errOut,
		OpenService: func(context.Context) (*invoicing.Service, func() error, error) {
			return e.svc, func() error { return nil }, nil
		}})
	return code, out.String(), errOut.String()
}

// dealExpects is what the deal bills by Pipedrive's own numbers, and whether its value leaves out tax
// that the products put on top.
func (e *taxStack) dealExpects(deal pipedrivefake.Deal) decimal.Decimal {
	var lines []pipedrivefake.DealProduct
	for _, l := range e.data.DealProducts {
		if l.DealID == deal.ID && l.IsEnabled {
			lines = append(lines, l)
		}
	}
	value := deal.Value.Decimal
	if len(lines) == 0 || lines[0].TaxMethod != "exclusive" {
		return value
	}
	sums := decimal.Zero
	for _, l := range lines {
		sums = sums.Add(l.Sum.Decimal)
	}
	discount := decimal.Zero
	for _, d := range e.data.Discounts {
		if d.DealID != deal.ID {
			continue
		}
		if d.Type == "percentage" {
			discount = discount.Add(sums.Mul(d.Amount.Decimal).Div(decimal.NewFromInt(100)).Round(2))
		} else {
			discount = discount.Add(d.Amount.Decimal)
		}
	}
	if !value.Equal(sums.Sub(discount)) {
		return value // the value already holds the tax
	}
	// Tax on top: each line's sum less its share of the deal discount, at its rate, rounded per line.
	tax, given := decimal.Zero, decimal.Zero
	for i, l := range lines {
		share := discount.Mul(l.Sum.Decimal).DivRound(sums, 2)
		if i == len(lines)-1 {
			share = discount.Sub(given)
		}
		given = given.Add(share)
		tax = tax.Add(l.Sum.Sub(share).Mul(l.Tax.Decimal).Div(decimal.NewFromInt(100)).Round(2))
	}
	return value.Add(tax)
}

// kind names the deal's tax case as seeded.
func (e *taxStack) kind(deal pipedrivefake.Deal) string {
	for _, l := range e.data.DealProducts {
		if l.DealID != deal.ID || !l.IsEnabled {
			continue
		}
		if l.TaxMethod != "exclusive" {
			return l.TaxMethod
		}
		if e.dealExpects(deal).Equal(deal.Value.Decimal) {
			return "exclusive, value with tax"
		}
		return "exclusive, tax on top"
	}
	return "no products"
}

type draftOut struct {
	Total     decimal.Decimal `json:"total"`
	Reconcile struct {
		Expected   decimal.Decimal `json:"expected"`
		Difference decimal.Decimal `json:"difference"`
		Causes     []struct {
			Kind    string          `json:"kind"`
			Amount  decimal.Decimal `json:"amount"`
			Message string          `json:"message"`
		} `json:"causes"`
	} `json:"reconciliation"`
}

// check drafts and creates the deal's invoice and holds it to the deal; it returns "matched" or "accepted".
func (e *taxStack) check(t *testing.T, deal pipedrivefake.Deal) string {
	t.Helper()
	id := strconv.FormatInt(deal.ID, 10)
	code, out, errOut := e.run("invoice", "draft", "--deal", id, "--json")
	if code != 0 {
		t.Fatalf("deal %d: invoice draft: exit %d: %s", deal.ID, code, errOut)
	}
	var draft draftOut
	if err := json.Unmarshal([]byte(out), &draft); err != nil {
		t.Fatal(err)
	}
	want := e.dealExpects(deal)
	create := []string{"invoice", "create", "--deal", id, "--customer", e.customers[deal.Currency], "--json"}
	result := "matched"
	if !draft.Reconcile.Difference.IsZero() {
		result = "accepted"
		explained := decimal.Zero
		for _, c := range draft.Reconcile.Causes {
			explained = explained.Add(c.Amount)
			if c.Kind == "" || c.Message == "" {
				t.Errorf("deal %d: cause %+v without a kind or words", deal.ID, c)
			}
		}
		if len(draft.Reconcile.Causes) == 0 || !explained.Equal(draft.Reconcile.Difference) {
			t.Errorf("deal %d: difference %s explained by %+v", deal.ID, draft.Reconcile.Difference, draft.Reconcile.Causes)
		}
		before := len(e.qbo.Invoices())
		code, _, errOut := e.run(create...)
		if code != 1 || !strings.Contains(errOut, "--accept-difference") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("deal %d: create with a difference of %s: exit %d, %q; want exit 1 and one sentence", deal.ID, draft.Reconcile.Difference, code, errOut)
		}
		if len(e.qbo.Invoices()) != before {
			t.Fatalf("deal %d: an invoice was created although the difference was not accepted", deal.ID)
		}
		if testing.Verbose() {
			var kinds []string
			for _, c := range draft.Reconcile.Causes {
				kinds = append(kinds, c.Kind+" "+c.Amount.String())
			}
			t.Logf("deal %d %s: difference %s: %v", deal.ID, deal.Currency, draft.Reconcile.Difference, kinds)
		}
		create = append(create, "--accept-difference")
	}
	code, out, errOut = e.run(create...)
	if code != 0 {
		t.Fatalf("deal %d: invoice create: exit %d: %s", deal.ID, code, errOut)
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatal(err)
	}
	inv, ok := e.qbo.Invoice(created.ID)
	if !ok {
		t.Fatalf("deal %d: invoice %s is not in QuickBooks", deal.ID, created.ID)
	}
	totalAmt, _ := decimal.NewFromString(fmt.Sprint(inv.TotalAmt))
	if !totalAmt.Equal(draft.Total) {
		t.Errorf("deal %d: QuickBooks' TotalAmt %s, the draft showed %s", deal.ID, totalAmt, draft.Total)
	}
	if got := totalAmt.Sub(want); !got.Equal(draft.Reconcile.Difference) {
		t.Errorf("deal %d: QuickBooks bills %s, the deal %s (difference %s); the draft said %s (%+v)",
			deal.ID, totalAmt, want, got, draft.Reconcile.Difference, draft.Reconcile.Causes)
	}
	return result
}
