package quickbooks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"time"
)

// CDCWindow is how far back QuickBooks reports changes.
const CDCWindow = 30 * 24 * time.Hour

// Changes are the invoices and payments changed since a moment. Deleted
// invoices appear with only Id and Status "Deleted" (see Invoice.Deleted).
type Changes struct {
	// Time is the server's time of the answer: pass it (less a safety
	// margin) as the next since.
	Time     time.Time
	Invoices []Invoice
	Payments []Payment
}

// ChangedSince asks CDC for invoices and payments changed after since, which
// must lie within the last 30 days. One request, at most 1000 objects.
func (c *Client) ChangedSince(ctx context.Context, since time.Time) (*Changes, error) {
	params := url.Values{
		"entities":     {"Invoice,Payment"},
		"changedSince": {since.Format(time.RFC3339)},
	}
	var env cdcEnvelope
	if err := c.get(ctx, "/cdc", params, &env); err != nil {
		return nil, err
	}
	return env.changes()
}

type cdcEnvelope struct {
	CDCResponse []struct {
		QueryResponse []map[string]json.RawMessage `json:"QueryResponse"`
	} `json:"CDCResponse"`
	Time time.Time `json:"time"`
}

func (env *cdcEnvelope) changes() (*Changes, error) {
	ch := &Changes{Time: env.Time}
	for _, r := range env.CDCResponse {
		for _, qr := range r.QueryResponse {
			if raw, ok := qr["Invoice"]; ok {
				var page []Invoice
				if err := json.Unmarshal(raw, &page); err != nil {
					return nil, fmt.Errorf("quickbooks: decoding CDC invoices: %w", err)
				}
				ch.Invoices = append(ch.Invoices, page...)
			}
			if raw, ok := qr["Payment"]; ok {
				var page []Payment
				if err := json.Unmarshal(raw, &page); err != nil {
					return nil, fmt.Errorf("quickbooks: decoding CDC payments: %w", err)
				}
				ch.Payments = append(ch.Payments, page...)
			}
		}
	}
	return ch, nil
}
