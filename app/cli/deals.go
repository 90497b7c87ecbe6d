package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

type dealsOptions struct {
	search string
	reload bool
	json   bool
}

func parseDeals(args []string) (dealsOptions, error) {
	var o dealsOptions
	fs := newFlags("deals")
	fs.StringVar(&o.search, "search", "", "")
	fs.BoolVar(&o.reload, "reload", false, "")
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
// --reload fetches every deal again instead of the changes only.
func runDeals(ctx context.Context, env Env, svc *invoicing.Service, o dealsOptions) error {
	refresh := svc.RefreshDeals
	if o.reload {
		refresh = svc.ReloadDeals
	}
	if _, err := refresh(ctx); err != nil {
		switch {
		case errors.Is(err, invoicing.ErrReadOnly):
			if o.reload {
				return err // nothing to reload from while disconnected
			}
		case errors.Is(err, invoicing.ErrOffline):
			fmt.Fprintln(env.Stderr, "dealbooks: Pipedrive cannot be reached; listing the deals seen before")
		default:
			return err
		}
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
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s %s\t%s\n", d.ID, d.Title, d.OrgName, money(d.Value, d.Currency), d.Currency, d.Status)
	}
	return tw.Flush()
}
