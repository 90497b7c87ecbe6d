package quickbooks

import (
	"net/url"
	"strings"
)

// QuickBooks web app hosts.
const (
	ProductionAppURL = "https://qbo.intuit.com"
	SandboxAppURL    = "https://sandbox.qbo.intuit.com"
)

// appURLFor picks the web app that goes with an API host; any other host
// (a fake, a test server) serves its own /app pages.
func appURLFor(baseURL string) string {
	switch baseURL {
	case ProductionBaseURL:
		return ProductionAppURL
	case SandboxBaseURL:
		return SandboxAppURL
	}
	return strings.TrimRight(baseURL, "/")
}

// InvoiceLink returns the address of the invoice in the QuickBooks web app.
// The link names no company: QuickBooks opens the invoice in the company the
// browser is signed in to.
func (c *Client) InvoiceLink(id string) string {
	return InvoiceLink(c.cfg.AppURL, id)
}

// InvoiceLink returns the address of invoice id under the web app appURL
// (ProductionAppURL or SandboxAppURL).
func InvoiceLink(appURL, id string) string {
	return strings.TrimRight(appURL, "/") + "/app/invoice?txnId=" + url.QueryEscape(id)
}
