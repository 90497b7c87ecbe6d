package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"dealbooks/app/invoicing"
)

type statusOptions struct{ json bool }

// namesWait bounds how long status waits for the companies' names.
const namesWait = 3 * time.Second

func parseStatus(args []string) (statusOptions, error) {
	var o statusOptions
	fs := newFlags("status")
	fs.BoolVar(&o.json, "json", false, "")
	return o, parseFlags(fs, args)
}

type connectionJSON struct {
	Connected bool   `json:"connected"`
	Company   string `json:"company,omitempty"`
	CompanyID string `json:"company_id,omitempty"`
	User      string `json:"user,omitempty"`
	APIToken  bool   `json:"api_token,omitempty"`
	Sandbox   bool   `json:"sandbox,omitempty"`
}

type keptJSON struct {
	Pipedrive  string    `json:"pipedrive"`
	QuickBooks string    `json:"quickbooks"`
	KeptAt     time.Time `json:"kept_at"`
}

type statusJSON struct {
	Pipedrive  connectionJSON `json:"pipedrive"`
	QuickBooks connectionJSON `json:"quickbooks"`
	// Queued counts the invoices waiting in the outbox for QuickBooks; nil when no pair is connected.
	Queued           *int       `json:"queued,omitempty"`
	DealsSyncedAt    *time.Time `json:"deals_synced_at,omitempty"`
	InvoicesSyncedAt *time.Time `json:"invoices_synced_at,omitempty"`
	Kept             *keptJSON  `json:"kept,omitempty"`
}

// runStatus reports the connections (names read again when the services answer), the queued invoices and
// how old the offline copies are.
func runStatus(ctx context.Context, env Env, acc Accounts, o statusOptions) error {
	// The names are a courtesy: offline, the clients' retries would hold status up for seconds.
	namesCtx, cancel := context.WithTimeout(ctx, namesWait)
	state, err := acc.RefreshNames(namesCtx)
	cancel()
	if err != nil {
		if state.Pipedrive.Provider == "" { // the state itself could not be read
			return err
		}
		fmt.Fprintln(env.Stderr, "dealbooks: the company names could not be read again, so they are the ones last seen:", invoicing.Explain(err))
	}
	out := statusJSON{Pipedrive: connectionOut(state.Pipedrive), QuickBooks: connectionOut(state.QuickBooks)}
	if k := state.Kept; k != nil {
		out.Kept = &keptJSON{Pipedrive: k.Pipedrive, QuickBooks: k.QuickBooks, KeptAt: k.KeptAt.UTC()}
	}
	if _, ok := state.Pair(); ok {
		svc, err := acc.Service(ctx)
		if err != nil {
			return err
		}
		queued, err := svc.QueuedCount(ctx)
		if err != nil {
			return err
		}
		out.Queued = &queued
		deals, err := svc.Deals(ctx, invoicing.DealQuery{Limit: 1})
		if err != nil {
			return err
		}
		out.DealsSyncedAt = timeOrNil(deals.SyncedAt)
		history, err := svc.History(ctx, invoicing.HistoryQuery{})
		if err != nil {
			return err
		}
		out.InvoicesSyncedAt = timeOrNil(history.UpdatedAt)
	}
	if o.json {
		return writeJSON(env.Stdout, out)
	}
	now := time.Now()
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Pipedrive\t%s\n", connectionText(state.Pipedrive))
	fmt.Fprintf(tw, "QuickBooks\t%s\n", connectionText(state.QuickBooks))
	if out.Queued != nil {
		fmt.Fprintf(tw, "Queued invoices\t%d\n", *out.Queued)
		fmt.Fprintf(tw, "Deals\t%s\n", ageText(out.DealsSyncedAt, now))
		fmt.Fprintf(tw, "Invoices\t%s\n", ageText(out.InvoicesSyncedAt, now))
	}
	if k := out.Kept; k != nil {
		fmt.Fprintf(tw, "Kept offline copies\tfrom %s and %s, disconnected %s\n", k.Pipedrive, k.QuickBooks, ago(k.KeptAt, now))
	}
	return tw.Flush()
}

func connectionOut(c invoicing.Connection) connectionJSON {
	return connectionJSON{Connected: c.Connected, Company: c.Account, CompanyID: c.AccountID, User: c.User,
		APIToken: c.APIToken, Sandbox: c.Sandbox}
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// ageText says how old a copy is: "updated 3 hours ago (2026-05-01 10:00 UTC)", or "never fetched".
func ageText(t *time.Time, now time.Time) string {
	if t == nil {
		return "never fetched"
	}
	return "updated " + ago(*t, now)
}

// ago is a moment as "3 hours ago (2026-05-01 10:00 UTC)".
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "at an unknown time"
	}
	d := now.Sub(t)
	var rel string
	switch {
	case d < time.Minute:
		rel = "just now"
	case d < time.Hour:
		rel = plural(int(d/time.Minute), "minute") + " ago"
	case d < 48*time.Hour:
		rel = plural(int(d/time.Hour), "hour") + " ago"
	default:
		rel = plural(int(d/(24*time.Hour)), "day") + " ago"
	}
	return fmt.Sprintf("%s (%s)", rel, t.UTC().Format("2006-01-02 15:04 UTC"))
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// withAccounts parses the command's arguments, opens the profile's accounts and runs the command with them.
func withAccounts[O any](ctx context.Context, env Env, args []string,
	parse func([]string) (O, error), run func(context.Context, Env, Accounts, O) error) int {
	opts, err := parse(args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "dealbooks: %v\n\n%s", err, usage)
		return ExitUsage
	}
	if env.OpenAccounts == nil {
		fmt.Fprintln(env.Stderr, "dealbooks: this build cannot connect accounts")
		return ExitError
	}
	acc, closeAccounts, err := env.OpenAccounts(ctx)
	if err != nil && stoppedAtDeadline(ctx, env) {
		return ExitError
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "dealbooks:", err)
		return ExitError
	}
	defer closeAccounts()
	return exitFor(ctx, env, run(ctx, env, acc, opts))
}
