package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dealbooks/app/invoicing"
)

// openKept opens the offline copies kept at a disconnect, read-only, and says on stderr whose they are and
// how old. kept is false when there are none.
func openKept(ctx context.Context, env Env) (svc *invoicing.Service, closeKept func() error, kept bool, err error) {
	if env.OpenAccounts == nil {
		return nil, nil, false, nil
	}
	acc, closeAccounts, err := env.OpenAccounts(ctx)
	if err != nil {
		return nil, nil, false, err
	}
	svc, k, ok, err := acc.KeptService(ctx)
	if err != nil || !ok {
		return nil, nil, false, errors.Join(err, closeAccounts())
	}
	list, err := svc.Deals(ctx, invoicing.DealQuery{Limit: 1})
	if err != nil {
		return nil, nil, false, errors.Join(err, closeAccounts())
	}
	now := time.Now()
	deals := "never fetched"
	if !list.SyncedAt.IsZero() {
		deals = "last fetched " + ago(list.SyncedAt, now)
	}
	fmt.Fprintf(env.Stderr, "dealbooks: not connected; reading the offline copies kept from Pipedrive %s and QuickBooks %s, disconnected %s (deals %s)\n",
		k.Pipedrive, k.QuickBooks, ago(k.KeptAt, now), deals)
	return svc, closeAccounts, true, nil
}
