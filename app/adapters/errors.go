package adapters

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"

	"golang.org/x/oauth2"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive"
	"dealbooks/integrations/quickbooks"
)

// Options are what the wiring tells an adapter.
type Options struct {
	// NeedsReconnect reports whether an error of the token source means the
	// user must connect again. The oauth package's ReconnectError and
	// ErrNotConnected say so; the wiring, which may import that package,
	// passes a function that knows them. Nil means only the API clients'
	// own signals (401 after a refresh, invalid_grant) count.
	NeedsReconnect func(error) bool
	// Sandbox marks a QuickBooks sandbox company (Company.Sandbox).
	Sandbox bool
}

// The providers, as invoicing.ProviderError names them.
const (
	providerQuickBooks = "QuickBooks"
	providerPipedrive  = "Pipedrive"
)

// translate turns an error of an API client into the errors the invoicing
// ports promise: ErrOffline, ErrAuthExpired, ErrNotFound and ErrStale
// wrapping the cause, or a typed *DuplicateNameError, *DuplicateNumberError
// or *ProviderError. A cancelled context and errors nobody decides on are
// returned as they are.
func translate(err error, needsReconnect func(error) bool) error {
	var (
		fault  *quickbooks.Fault
		apiErr *pipedrive.APIError
	)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return err
	case authExpired(err, needsReconnect):
		return fmt.Errorf("%w: %w", invoicing.ErrAuthExpired, err)
	case errors.As(err, &fault):
		return translateFault(fault)
	case errors.As(err, &apiErr):
		return translateAPIError(apiErr)
	case offline(err):
		return fmt.Errorf("%w: %w", invoicing.ErrOffline, err)
	}
	return err
}

// authExpired reports whether err means the user must connect again.
func authExpired(err error, needsReconnect func(error) bool) bool {
	var re *oauth2.RetrieveError
	return (needsReconnect != nil && needsReconnect(err)) ||
		errors.Is(err, quickbooks.ErrAuthExpired) ||
		errors.Is(err, pipedrive.ErrUnauthorized) ||
		errors.As(err, &re) && re.ErrorCode == "invalid_grant"
}

// offline reports whether err is a failure to reach the provider or to
// hear its answer: refused or dropped connections, timeouts.
func offline(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded)
}

// unavailable reports whether an HTTP status says the provider cannot
// serve now but may later: throttling the client gave up waiting on, or a
// server error. The same request may be repeated, as for ErrOffline.
func unavailable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

func translateFault(f *quickbooks.Fault) error {
	switch {
	case f.HasCode(quickbooks.CodeObjectNotFound):
		return fmt.Errorf("%w: %w", invoicing.ErrNotFound, f)
	case f.HasCode(quickbooks.CodeStaleObject):
		return fmt.Errorf("%w: %w", invoicing.ErrStale, f)
	case f.HasCode(quickbooks.CodeDuplicateName):
		return &invoicing.DuplicateNameError{}
	case f.HasCode(quickbooks.CodeDuplicateDocNum):
		dup := &invoicing.DuplicateNumberError{}
		dup.ExistingType, dup.ExistingID, _ = f.DuplicateTxn()
		return dup
	case unavailable(f.StatusCode):
		return fmt.Errorf("%w: %w", invoicing.ErrOffline, f)
	}
	pe := &invoicing.ProviderError{Provider: providerQuickBooks, Code: f.Code()}
	if len(f.Errors) > 0 {
		pe.Message = f.Errors[0].Message
		if f.Errors[0].Detail != "" {
			pe.Message = f.Errors[0].Detail
		}
	}
	return pe
}

func translateAPIError(e *pipedrive.APIError) error {
	switch {
	case e.Status == http.StatusNotFound || e.Status == http.StatusGone:
		return fmt.Errorf("%w: %w", invoicing.ErrNotFound, e)
	case unavailable(e.Status):
		return fmt.Errorf("%w: %w", invoicing.ErrOffline, e)
	}
	code := e.Code
	if code == "" {
		code = strconv.Itoa(e.Status)
	}
	msg := e.Message
	if e.Info != "" && e.Info != e.Message {
		msg += ": " + e.Info
	}
	return &invoicing.ProviderError{Provider: providerPipedrive, Code: code, Message: msg}
}
