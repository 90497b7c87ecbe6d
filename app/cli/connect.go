package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"dealbooks/app/invoicing"
)

// Accounts is what connect, status and disconnect need from the profile's accounts (*accounts.Manager,
// through package main), and what lets history and deals read offline copies kept at a disconnect.
type Accounts interface {
	invoicing.Accounts
	invoicing.KeptAccounts
	// RefreshNames reads the connected companies' names again and returns the state.
	RefreshNames(ctx context.Context) (invoicing.AccountsState, error)
	// Service opens the invoicing service of the connected pair; an error wrapping ErrNotConnected while
	// either account is missing.
	Service(ctx context.Context) (*invoicing.Service, error)
}

// PrintingBrowser returns an OpenURL for the command line: it prints the sign-in address on w, for a
// machine without a browser (copy it to one elsewhere; the sign-in then comes back to this one's address
// as registered), and opens it in the browser when there is one.
func PrintingBrowser(w io.Writer, open func(url string) error) func(url string) error {
	return func(url string) error {
		fmt.Fprintf(w, "dealbooks: to sign in, open this address in a browser (opening it now if this computer has one):\n  %s\n", url)
		if open != nil {
			_ = open(url) // no browser here is fine: the address is printed
		}
		return nil
	}
}

type connectOptions struct {
	provider      invoicing.Provider
	sandbox       bool
	tokenFromLine bool
}

func parseConnect(args []string) (connectOptions, error) {
	var o connectOptions
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return o, usageError{"connect: name pipedrive or quickbooks"}
	}
	switch args[0] {
	case "pipedrive":
		o.provider = invoicing.Pipedrive
		fs := newFlags("connect pipedrive")
		fs.BoolVar(&o.tokenFromLine, "api-token-stdin", false, "")
		return o, parseFlags(fs, args[1:])
	case "quickbooks":
		o.provider = invoicing.QuickBooks
		fs := newFlags("connect quickbooks")
		fs.BoolVar(&o.sandbox, "sandbox", false, "")
		return o, parseFlags(fs, args[1:])
	}
	return o, usageError{fmt.Sprintf("connect: unknown service %q; name pipedrive or quickbooks", args[0])}
}

func runConnect(ctx context.Context, env Env, acc Accounts, o connectOptions) error {
	var (
		c   invoicing.Connection
		err error
	)
	switch {
	case o.tokenFromLine:
		token, rerr := readLine(env.Stdin)
		if rerr != nil {
			return fmt.Errorf("read the API token from standard input: %w", rerr)
		}
		c, err = acc.ConnectPipedriveToken(ctx, token)
	case o.provider == invoicing.Pipedrive:
		c, err = acc.ConnectPipedrive(ctx)
	default:
		c, err = acc.ConnectQuickBooks(ctx, o.sandbox)
	}
	if err != nil {
		return adviceError{connectErrorText(o.provider, o.tokenFromLine, err)}
	}
	fmt.Fprintf(env.Stdout, "connected %s: %s\n", o.provider.Name(), connectionText(c))
	return nil
}

// readLine reads the first line of r, without its line ending.
func readLine(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("no standard input")
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

type disconnectOptions struct {
	provider invoicing.Provider
	delete   bool
}

func parseDisconnect(args []string) (disconnectOptions, error) {
	var o disconnectOptions
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return o, usageError{"disconnect: name pipedrive or quickbooks"}
	}
	switch args[0] {
	case "pipedrive":
		o.provider = invoicing.Pipedrive
	case "quickbooks":
		o.provider = invoicing.QuickBooks
	default:
		return o, usageError{fmt.Sprintf("disconnect: unknown service %q; name pipedrive or quickbooks", args[0])}
	}
	var keep bool
	fs := newFlags("disconnect " + args[0])
	fs.BoolVar(&keep, "keep", false, "")
	fs.BoolVar(&o.delete, "delete", false, "")
	if err := parseFlags(fs, args[1:]); err != nil {
		return o, err
	}
	if keep && o.delete {
		return o, usageError{"disconnect: choose --keep or --delete, not both"}
	}
	return o, nil
}

// runDisconnect disconnects as the window's Disconnect does; without --delete the deals and invoices on
// this computer are kept for reading offline, as the window's "Keep them".
func runDisconnect(ctx context.Context, env Env, acc Accounts, o disconnectOptions) error {
	state, err := acc.State(ctx)
	if err != nil {
		return err
	}
	c := state.Pipedrive
	if o.provider == invoicing.QuickBooks {
		c = state.QuickBooks
	}
	if !c.Connected {
		fmt.Fprintf(env.Stdout, "%s is not connected; nothing to do\n", o.provider.Name())
		return nil
	}
	_, paired := state.Pair()
	err = acc.Disconnect(ctx, o.provider, !o.delete)
	var ce *invoicing.ConnectError
	if err != nil && !(errors.As(err, &ce) && ce.Reason == invoicing.NotRevoked) {
		return adviceError{connectErrorText(o.provider, false, err)}
	}
	fmt.Fprintf(env.Stdout, "disconnected %s (%s)\n", o.provider.Name(), c.Account)
	if err != nil {
		fmt.Fprintln(env.Stderr, "dealbooks:", connectErrorText(o.provider, false, err))
	}
	switch {
	case !paired:
	case o.delete:
		fmt.Fprintln(env.Stdout, "the deals and invoices on this computer were deleted")
	default:
		fmt.Fprintln(env.Stdout, "the deals and invoices on this computer were kept for reading offline (`dealbooks history`, `dealbooks deals`); Delete kept copies in the window's Settings removes them")
	}
	return nil
}

// connectionText is one connection as the window's Settings shows it.
func connectionText(c invoicing.Connection) string {
	switch {
	case !c.Connected:
		return "not connected"
	case c.Provider == invoicing.Pipedrive && c.APIToken:
		return fmt.Sprintf("%s, signed in as %s with a personal API token", c.Account, c.User)
	case c.Provider == invoicing.Pipedrive:
		return fmt.Sprintf("%s, signed in as %s", c.Account, c.User)
	case c.Sandbox:
		return fmt.Sprintf("%s, sandbox company %s", c.Account, c.AccountID)
	}
	return fmt.Sprintf("%s, company %s", c.Account, c.AccountID)
}

// connectErrorText is the window's sentence for a failure to connect or disconnect, with the next step on
// the command line.
func connectErrorText(p invoicing.Provider, apiToken bool, err error) string {
	service := p.Name()
	var ce *invoicing.ConnectError
	if !errors.As(err, &ce) {
		return fmt.Sprintf("Something went wrong while connecting %s (%s). Try again; if it keeps failing, send the log file to support.", service, err)
	}
	switch ce.Reason {
	case invoicing.NoClient:
		return fmt.Sprintf("Dealbooks knows no %s developer app yet. Set its client ID and secret (see README, Register the developer apps), connect Pipedrive with --api-token-stdin, or add -demo to use the demo.", service)
	case invoicing.Denied:
		return "Access was declined in the browser. Run the command again and choose to allow Dealbooks."
	case invoicing.WrongAttempt:
		return "The browser answered for an earlier sign-in, so it was ignored. Run the command again to start again."
	case invoicing.TimedOut:
		return "The browser did not come back in time. Run the command again to try again."
	case invoicing.BadToken:
		if apiToken {
			return "Pipedrive did not accept this API token. Copy it again from Personal preferences, API, and pass it on standard input."
		}
		return fmt.Sprintf("%s did not accept the developer app's client ID or secret. Check them.", service)
	case invoicing.Unreachable:
		return fmt.Sprintf("%s cannot be reached. Check the network connection and try again.", service)
	case invoicing.NoBrowser:
		return "Dealbooks could not open a web browser. Open the address printed above in a browser yourself."
	case invoicing.HistoryKept:
		return fmt.Sprintf("%s is disconnected, but the invoices on this computer were kept: some are still waiting to be sent. Connect the same accounts again to send them.", service)
	case invoicing.NotRevoked:
		return fmt.Sprintf("Dealbooks forgot the sign-in, but %s could not be told. Remove Dealbooks from the connected apps in %s to end its access.", service, service)
	}
	return fmt.Sprintf("Something went wrong while connecting %s. Try again; if it keeps failing, send the log file to support.", service)
}
