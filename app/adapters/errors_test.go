package adapters

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"syscall"
	"testing"

	"golang.org/x/oauth2"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive"
	"dealbooks/integrations/quickbooks"
)

// reconnectError stands in for the oauth package's ReconnectError.
type reconnectError struct{}

func (reconnectError) Error() string { return "connect to QuickBooks again" }

func fault(status int, code, message, detail string) *quickbooks.Fault {
	return &quickbooks.Fault{StatusCode: status, Type: "ValidationFault",
		Errors: []quickbooks.FaultError{{Code: code, Message: message, Detail: detail}}}
}

func TestTranslate(t *testing.T) {
	refused := &url.Error{Op: "Post", URL: "http://127.0.0.1:1/v3", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	needsReconnect := func(err error) bool { return errors.As(err, new(reconnectError)) }
	cases := []struct {
		name string
		err  error
		is   error // the sentinel it must match, if any
		want error // the typed error it must be, if any
		same bool  // passed on unchanged
	}{
		{name: "connection refused", err: refused, is: invoicing.ErrOffline},
		{name: "answer dropped", err: fmt.Errorf("quickbooks: POST /invoice: %w", &url.Error{Op: "Post", Err: io.EOF}), is: invoicing.ErrOffline},
		{name: "body cut short", err: fmt.Errorf("read: %w", io.ErrUnexpectedEOF), is: invoicing.ErrOffline},
		{name: "timeout", err: fmt.Errorf("quickbooks: %w", context.DeadlineExceeded), is: invoicing.ErrOffline},
		{name: "cancelled", err: &url.Error{Op: "Get", Err: context.Canceled}, same: true},
		{name: "QuickBooks 503 after retries", err: &quickbooks.Fault{StatusCode: 503}, is: invoicing.ErrOffline},
		{name: "QuickBooks throttled", err: &quickbooks.Fault{StatusCode: 429}, is: invoicing.ErrOffline},
		{name: "QuickBooks 401 after refresh", err: fault(401, "3200", "AuthenticationFailed", ""), is: invoicing.ErrAuthExpired},
		{name: "refresh token refused", err: fmt.Errorf("quickbooks: token: %w", &oauth2.RetrieveError{ErrorCode: "invalid_grant"}), is: invoicing.ErrAuthExpired},
		{name: "reconnect error of the token source", err: fmt.Errorf("pipedrive: get access token: %w", reconnectError{}), is: invoicing.ErrAuthExpired},
		{name: "QuickBooks 610", err: fault(400, "610", "Object Not Found", ""), is: invoicing.ErrNotFound},
		{name: "QuickBooks 5010", err: fault(400, "5010", "Stale Object Error", ""), is: invoicing.ErrStale},
		{name: "QuickBooks 6240", err: fault(400, "6240", "Duplicate Name Exists Error", ""), want: &invoicing.DuplicateNameError{}},
		{name: "QuickBooks 6140", err: fault(400, "6140", "Duplicate Document Number Error",
			"You must specify a different number. DocNumber=1042 is assigned to TxnType=Credit Memo with TxnId=77"),
			want: &invoicing.DuplicateNumberError{ExistingID: "77", ExistingType: "Credit Memo"}},
		{name: "QuickBooks other fault", err: fault(400, "6000", "A business validation error has occurred", "Business Validation Error: no"),
			want: &invoicing.ProviderError{Provider: "QuickBooks", Code: "6000", Message: "Business Validation Error: no"}},
		{name: "QuickBooks fault without detail", err: fault(400, "2500", "Invalid Reference Id", ""),
			want: &invoicing.ProviderError{Provider: "QuickBooks", Code: "2500", Message: "Invalid Reference Id"}},
		{name: "Pipedrive 401 after refresh", err: &pipedrive.APIError{Status: 401, Message: "unauthorized access"}, is: invoicing.ErrAuthExpired},
		{name: "Pipedrive 404", err: &pipedrive.APIError{Status: 404, Message: "Entity was not found"}, is: invoicing.ErrNotFound},
		{name: "Pipedrive 410", err: &pipedrive.APIError{Status: 410, Message: "Gone"}, is: invoicing.ErrNotFound},
		{name: "Pipedrive rate limit kept on", err: &pipedrive.APIError{Status: 429, Message: "Request over limit"}, is: invoicing.ErrOffline},
		{name: "Pipedrive 502", err: &pipedrive.APIError{Status: 502, Message: "Bad Gateway"}, is: invoicing.ErrOffline},
		{name: "Pipedrive 402 with a code", err: &pipedrive.APIError{Status: 402, Message: "Payment required", Code: "feature_capping_deals_limit"},
			want: &invoicing.ProviderError{Provider: "Pipedrive", Code: "feature_capping_deals_limit", Message: "Payment required"}},
		{name: "Pipedrive 400", err: &pipedrive.APIError{Status: 400, Message: "Validation failed", Info: "limit: Must be 1..500"},
			want: &invoicing.ProviderError{Provider: "Pipedrive", Code: "400", Message: "Validation failed: limit: Must be 1..500"}},
		{name: "anything else", err: errors.New("pipedrive: search term needs at least 2 characters"), same: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := translate(c.err, needsReconnect)
			switch {
			case c.same:
				if got != c.err {
					t.Errorf("translate(%v) = %v, want it unchanged", c.err, got)
				}
			case c.is != nil:
				if !errors.Is(got, c.is) || !errors.Is(got, c.err) {
					t.Errorf("translate(%v) = %v, want %v wrapping the cause", c.err, got, c.is)
				}
			default:
				if fmt.Sprintf("%T %+v", got, got) != fmt.Sprintf("%T %+v", c.want, c.want) {
					t.Errorf("translate(%v) = %T %+v, want %T %+v", c.err, got, got, c.want, c.want)
				}
			}
		})
	}
	if translate(nil, nil) != nil {
		t.Error("translate(nil) is not nil")
	}
}
