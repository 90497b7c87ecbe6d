package invoicing

import (
	"context"
	"errors"
	"fmt"
)

// Provider is a service Dealbooks connects an account of.
type Provider string

// The two providers.
const (
	Pipedrive  Provider = "pipedrive"
	QuickBooks Provider = "quickbooks"
)

// Name is the provider's name as people write it.
func (p Provider) Name() string {
	switch p {
	case Pipedrive:
		return "Pipedrive"
	case QuickBooks:
		return "QuickBooks"
	}
	return string(p)
}

// Connection is what Dealbooks knows of one provider's account.
type Connection struct {
	Provider  Provider
	Connected bool
	// Account is the Pipedrive company or the QuickBooks company, by name.
	Account string
	// AccountID is the Pipedrive company id or the QuickBooks realm id.
	AccountID string
	// User is the Pipedrive user the connection acts as; "" for QuickBooks.
	User string
	// Sandbox is set for a QuickBooks sandbox company.
	Sandbox bool
	// APIToken is set when Pipedrive was connected with a personal API token
	// rather than by signing in.
	APIToken bool
}

// AccountPair names the two accounts a set of preferences, links and caches
// belongs to.
type AccountPair struct {
	PipedriveCompany string // Pipedrive company id
	QuickBooksRealm  string // QuickBooks realm (company) id
}

// AccountsState is what the Connect screen shows.
type AccountsState struct {
	Pipedrive  Connection
	QuickBooks Connection
	// Demo is set in the demo workspace, where both services are in-process fakes.
	Demo bool
	// HasClient says, per provider, whether a developer app (client id and
	// secret) is known, from Settings or built in. Without one only
	// Pipedrive's API token and the demo can connect.
	HasClient map[Provider]bool
	// SecretsInFile is set where no OS keychain answers and tokens are kept
	// in a file only the user can read, in the data folder.
	SecretsInFile bool
	// Kept are the offline copies kept when the last pair was disconnected, nil if none.
	Kept *KeptCopies
}

// Pair returns the account pair, or ok false unless both accounts are connected.
func (s AccountsState) Pair() (pair AccountPair, ok bool) {
	if !s.Pipedrive.Connected || !s.QuickBooks.Connected {
		return AccountPair{}, false
	}
	return AccountPair{PipedriveCompany: s.Pipedrive.AccountID, QuickBooksRealm: s.QuickBooks.AccountID}, true
}

// Accounts connects and disconnects the accounts of one profile. Its methods
// block on the browser, the network or the keychain, so the UI calls them
// off its own goroutine; cancelling ctx ends a wait for the browser.
type Accounts interface {
	// State reads which accounts are connected.
	State(ctx context.Context) (AccountsState, error)
	// ConnectPipedrive signs in to Pipedrive in the system browser.
	ConnectPipedrive(ctx context.Context) (Connection, error)
	// ConnectPipedriveToken connects Pipedrive with a personal API token,
	// checked by reading the token's user.
	ConnectPipedriveToken(ctx context.Context, token string) (Connection, error)
	// ConnectQuickBooks signs in to a QuickBooks sandbox or production
	// company in the system browser.
	ConnectQuickBooks(ctx context.Context, sandbox bool) (Connection, error)
	// PasteSignIn signs in for a browser that cannot come back to Dealbooks
	// by itself: it opens the provider's page, and finish takes the address
	// the browser ended on, pasted by the user, and connects. sandbox applies
	// to QuickBooks only.
	PasteSignIn(ctx context.Context, p Provider, sandbox bool) (finish func(ctx context.Context, pasted string) (Connection, error), err error)
	// Disconnect revokes the provider's tokens and forgets them and the
	// account; keepHistory false also deletes the offline copies of the pair.
	Disconnect(ctx context.Context, p Provider, keepHistory bool) error
	// SaveClient keeps the client id and secret of the user's own developer
	// app at p; an empty id forgets it.
	SaveClient(ctx context.Context, p Provider, id, secret string) error
	// TryDemo opens the demo workspace, in a window of its own.
	TryDemo(ctx context.Context) error
}

// ConnectReason says why connecting an account failed, in a form the UI
// translates into one sentence and a next step.
type ConnectReason int

// The reasons a connection fails.
const (
	// ConnectFailed: anything not listed below; the error says what.
	ConnectFailed ConnectReason = iota
	// NoClient: no developer app client id and secret are known.
	NoClient
	// Denied: the user declined access on the provider's page.
	Denied
	// WrongAttempt: the browser answered for another sign-in attempt.
	WrongAttempt
	// TimedOut: the browser did not come back in time.
	TimedOut
	// Cancelled: the user cancelled the wait.
	Cancelled
	// BadToken: the provider refused the API token or client credentials.
	BadToken
	// Unreachable: the provider could not be reached.
	Unreachable
	// NotRevoked: disconnected here, but the provider could not be told.
	NotRevoked
	// NoBrowser: no web browser could be opened for the sign-in.
	NoBrowser
	// BadPaste: the pasted text is not the address the browser ended on.
	BadPaste
	// HistoryKept: disconnected, but the offline copies were kept because invoices of the pair are still
	// waiting to be sent; connecting the same accounts again sends them.
	HistoryKept
)

// ErrUnsentInvoices: the offline copies of an account pair cannot be deleted while some of its invoices
// are still waiting to be sent.
var ErrUnsentInvoices = errors.New("invoices are still waiting to be sent")

// ConnectError is a failure to connect or disconnect an account. It never
// carries a token or secret.
type ConnectError struct {
	Provider Provider
	Reason   ConnectReason
	Err      error // the cause, for the log
}

func (e *ConnectError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("connect %s: reason %d", e.Provider.Name(), e.Reason)
	}
	return fmt.Sprintf("connect %s: %v", e.Provider.Name(), e.Err)
}

func (e *ConnectError) Unwrap() error { return e.Err }
