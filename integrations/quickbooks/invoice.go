package quickbooks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"dealbooks/integrations/internal/httpx"
)

// idsPerQuery bounds the ids in one "Id IN (…)" query so the URL stays short.
const idsPerQuery = 500

// Invoice reads one invoice. A deleted invoice gives ErrNotFound.
func (c *Client) Invoice(ctx context.Context, id string) (*Invoice, error) {
	var env struct{ Invoice *Invoice }
	if err := c.get(ctx, "/invoice/"+url.PathEscape(id), nil, &env); err != nil {
		return nil, err
	}
	return invoiceIn(env.Invoice)
}

// InvoicesByID reads the invoices with these ids, up to 500 per request.
// Ids of deleted invoices are simply absent from the result.
func (c *Client) InvoicesByID(ctx context.Context, ids []string) ([]Invoice, error) {
	var all []Invoice
	for len(ids) > 0 {
		n := min(len(ids), idsPerQuery)
		var page []Invoice
		if err := c.Query(ctx, Select("Invoice").In("Id", ids[:n]...).Page(1, MaxResults), &page); err != nil {
			return nil, err
		}
		all = append(all, page...)
		ids = ids[n:]
	}
	return all, nil
}

// CreateInvoice creates inv. Send the same requestID again after a failure:
// QuickBooks then answers with the invoice it already made.
func (c *Client) CreateInvoice(ctx context.Context, requestID string, inv Invoice) (*Invoice, error) {
	inv.ID, inv.SyncToken, inv.Sparse = "", "", false
	return c.writeInvoice(ctx, requestID, nil, inv)
}

// UpdateInvoice changes only the fields set in inv, which must carry the Id
// and the SyncToken it was read with (else ErrStaleObject).
func (c *Client) UpdateInvoice(ctx context.Context, requestID string, inv Invoice) (*Invoice, error) {
	if inv.ID == "" || inv.SyncToken == "" {
		return nil, errors.New("quickbooks: invoice update needs Id and SyncToken")
	}
	inv.Sparse = true
	return c.writeInvoice(ctx, requestID, nil, inv)
}

// idToken is the body of void and delete.
type idToken struct {
	ID        string `json:"Id"`
	SyncToken string `json:"SyncToken"`
}

// VoidInvoice voids an invoice: QuickBooks keeps it with every amount zeroed
// and "Voided" in PrivateNote.
func (c *Client) VoidInvoice(ctx context.Context, requestID, id, syncToken string) (*Invoice, error) {
	return c.writeInvoice(ctx, requestID, url.Values{"operation": {"void"}}, idToken{id, syncToken})
}

// DeleteInvoice deletes an invoice. Deleting one that is already gone gives
// ErrNotFound.
func (c *Client) DeleteInvoice(ctx context.Context, requestID, id, syncToken string) error {
	inv, err := c.writeInvoice(ctx, requestID, url.Values{"operation": {"delete"}}, idToken{id, syncToken})
	if err != nil {
		return err
	}
	if !inv.Deleted() {
		return fmt.Errorf("quickbooks: delete of invoice %s answered status %q", id, inv.Status)
	}
	return nil
}

func (c *Client) writeInvoice(ctx context.Context, requestID string, params url.Values, body any) (*Invoice, error) {
	var env struct{ Invoice *Invoice }
	if err := c.post(ctx, "/invoice", params, requestID, body, &env); err != nil {
		return nil, err
	}
	return invoiceIn(env.Invoice)
}

// SendInvoice has QuickBooks e-mail the invoice, to sendTo if given (which
// also becomes the invoice's BillEmail), else to its BillEmail.
func (c *Client) SendInvoice(ctx context.Context, requestID, id, sendTo string) (*Invoice, error) {
	if err := checkRequestID(requestID); err != nil {
		return nil, err
	}
	var params url.Values
	if sendTo != "" {
		params = url.Values{"sendTo": {sendTo}}
	}
	var env struct{ Invoice *Invoice }
	err := c.call(ctx, &request{
		method: http.MethodPost, path: "/invoice/" + url.PathEscape(id) + "/send", params: params,
		contentType: "application/octet-stream", requestID: requestID,
	}, &env)
	if err != nil {
		return nil, err
	}
	return invoiceIn(env.Invoice)
}

// ErrTooLarge is matched by the error for an answer or PDF larger than the
// client reads.
var ErrTooLarge = httpx.ErrTooLarge

// MaxPDFSize is the largest invoice PDF the client reads (25 MB); a real
// one is tens of kilobytes.
const MaxPDFSize = httpx.MaxPDFBody

// InvoicePDF streams the invoice as a PDF, laid out with the company's
// default form style. The caller closes the reader. A PDF larger than
// MaxPDFSize is refused: up front when the answer says its length, else by
// a read error once the limit is passed. The download may take PDFTimeout.
func (c *Client) InvoicePDF(ctx context.Context, id string) (io.ReadCloser, error) {
	path := "/invoice/" + url.PathEscape(id) + "/pdf"
	resp, err := c.do(ctx, &request{method: http.MethodGet, path: path, accept: "application/pdf", pdf: true})
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > MaxPDFSize {
		resp.Body.Close()
		return nil, fmt.Errorf("quickbooks: GET %s: %w", path, &httpx.TooLargeError{What: "PDF", Limit: MaxPDFSize})
	}
	return httpx.LimitBody(resp.Body, MaxPDFSize, "PDF"), nil
}

func invoiceIn(inv *Invoice) (*Invoice, error) {
	if inv == nil {
		return nil, errors.New("quickbooks: answer has no Invoice")
	}
	return inv, nil
}
