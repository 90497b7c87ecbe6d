package oauth

import (
	"errors"
	"fmt"

	"golang.org/x/oauth2"
)

// Errors a caller decides on. Their messages are sentences the UI may show as they are.
var (
	// ErrDenied: the user declined access on the provider's consent page.
	ErrDenied = errors.New("oauth: access was declined in the browser; press Connect to try again")
	// ErrStateMismatch: the browser brought back an answer that belongs to another sign-in
	// attempt (an old tab, or a page that was not ours). Its code is never used.
	ErrStateMismatch = errors.New("oauth: the browser answered for a different sign-in attempt, so it was ignored; press Connect to start again")
	// ErrTimeout: the browser did not come back in time.
	ErrTimeout = errors.New("oauth: the browser did not come back in time; press Connect to try again")
	// ErrBadPaste: the pasted text is not the address the browser ended on.
	ErrBadPaste = errors.New("oauth: the pasted text is not the address the browser ended on; copy the whole address bar and paste it again")
	// ErrNotConnected: no token is saved for this provider.
	ErrNotConnected = errors.New("oauth: not connected; press Connect first")
)

// ReconnectError means the provider no longer accepts the saved refresh token: it expired or was
// revoked. The only way forward is to connect again.
type ReconnectError struct {
	Provider string
}

func (e *ReconnectError) Error() string {
	return fmt.Sprintf("oauth: %s no longer accepts the saved sign-in (it expired or was revoked); connect to %s again", e.Provider, e.Provider)
}

// ProviderError is an OAuth error answer from the provider: an error code on the callback, or a
// refusal from the token or revoke endpoint. It never carries the response body.
type ProviderError struct {
	Provider    string
	Status      int    // HTTP status from the endpoint; 0 for a callback error
	Code        string // OAuth error code, e.g. "invalid_client"
	Description string // the provider's error_description, if any
}

func (e *ProviderError) Error() string {
	msg := fmt.Sprintf("oauth: %s refused", e.Provider)
	if e.Status != 0 {
		msg += fmt.Sprintf(" with HTTP %d", e.Status)
	}
	if e.Code != "" {
		msg += fmt.Sprintf(" (%s)", e.Code)
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	if e.Code == "invalid_client" {
		msg += "; check the client ID and secret in Settings"
	}
	return msg
}

// providerError turns a token-endpoint refusal from golang.org/x/oauth2 into a ProviderError.
// oauth2.RetrieveError is not passed on because its message can include the response body.
func providerError(provider string, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return err
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	return &ProviderError{Provider: provider, Status: status, Code: re.ErrorCode, Description: re.ErrorDescription}
}
