package accountstest

import (
	"context"
	"testing"

	"dealbooks/app/invoicing"
)

// Connector connects the two accounts, as *accounts.Manager does.
type Connector interface {
	ConnectPipedrive(ctx context.Context) (invoicing.Connection, error)
	ConnectQuickBooks(ctx context.Context, sandbox bool) (invoicing.Connection, error)
}

// ConnectBoth connects both accounts of c, QuickBooks' as a sandbox company, and fails the test if
// either fails.
func ConnectBoth(t testing.TB, c Connector) (pipedrive, quickbooks invoicing.Connection) {
	t.Helper()
	ctx := context.Background()
	pipedrive, err := c.ConnectPipedrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	quickbooks, err = c.ConnectQuickBooks(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	return pipedrive, quickbooks
}
