package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"dealbooks/app/accounts"
	"dealbooks/app/demo"
	"dealbooks/app/demo/demotest"
	"dealbooks/app/invoicing"
	"dealbooks/app/store"
	"dealbooks/integrations/pipedrive/pipedrivefake"
)

// profileEnv is the demo profile as `dealbooks -demo` opens it for each command: the accounts Manager
// (connected or not), with the offline store of the database; OpenService and OpenAccounts are what
// package main wires.
type profileEnv struct {
	demo *demo.Demo
	db   *store.Store
}

func newProfileEnv(t *testing.T) *profileEnv {
	t.Helper()
	dir := t.TempDir()
	db := demotest.OpenStore(t, dir)
	d, err := demo.StartConnected(context.Background(), demotest.Options(dir, db), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return &profileEnv{demo: d, db: db}
}

// testAccounts maps the Manager's ErrNotConnected to the CLI's, as package main does.
type testAccounts struct{ *accounts.Manager }

func (a testAccounts) Service(ctx context.Context) (*invoicing.Service, error) {
	svc, err := a.Manager.Service(ctx)
	if errors.Is(err, accounts.ErrNotConnected) {
		return nil, fmt.Errorf("%w: %w", ErrNotConnected, err)
	}
	return svc, err
}

// run runs one command line with stdin as standard input.
func (e *profileEnv) run(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	acc := testAccounts{e.demo.Accounts}
	nop := func() error { return nil }
	code = Run(context.Background(), args, Env{
		Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(stdin),
		OpenService: func(ctx context.Context) (*invoicing.Service, func() error, error) {
			svc, err := acc.Service(ctx)
			return svc, nop, err
		},
		OpenAccounts: func(context.Context) (Accounts, func() error, error) { return acc, nop, nil },
	})
	return code, out.String(), errOut.String()
}

func (e *profileEnv) mustRun(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errOut := e.run("", args...)
	if code != ExitOK {
		t.Fatalf("dealbooks %s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out, errOut
}

func (e *profileEnv) status(t *testing.T) statusJSON {
	t.Helper()
	out, _ := e.mustRun(t, "status", "--json")
	var s statusJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("status --json = %q: %v", out, err)
	}
	return s
}

func TestStatusNamesTheConnectionsAndTheQueue(t *testing.T) {
	e := newProfileEnv(t)
	e.mustRun(t, "deals")
	s := e.status(t)
	if !s.Pipedrive.Connected || s.Pipedrive.Company == "" || !s.QuickBooks.Connected || s.QuickBooks.Company == "" {
		t.Fatalf("status = %+v, want both connected with their company names", s)
	}
	if s.Queued == nil || *s.Queued != 0 || s.DealsSyncedAt == nil {
		t.Errorf("status queued %v, deals synced %v; want 0 queued and the deals just fetched", s.Queued, s.DealsSyncedAt)
	}
	out, _ := e.mustRun(t, "status")
	for _, want := range []string{"Pipedrive", s.Pipedrive.Company, s.QuickBooks.Company, "Queued invoices  0", "Deals", "updated just now"} {
		if !strings.Contains(out, want) {
			t.Errorf("status = %q, lacks %q", out, want)
		}
	}
}

// Disconnect both with the copies kept: history and deals still read them, saying whose they are; then
// connecting again works from the command line too.
func TestDisconnectKeepThenHistoryAndDealsReadTheKeptCopies(t *testing.T) {
	e := newProfileEnv(t)
	dealsOut, _ := e.mustRun(t, "deals")
	historyOut, _ := e.mustRun(t, "history")
	before := e.status(t)
	if len(strings.Split(historyOut, "\n")) < 3 {
		t.Fatalf("the demo's history is empty: %q", historyOut)
	}

	out, _ := e.mustRun(t, "disconnect", "quickbooks", "--keep")
	if !strings.Contains(out, "disconnected QuickBooks") || !strings.Contains(out, "kept for reading offline") {
		t.Errorf("disconnect quickbooks --keep said %q", out)
	}
	out, _ = e.mustRun(t, "disconnect", "pipedrive") // keeping is the default
	if !strings.Contains(out, "disconnected Pipedrive") {
		t.Errorf("disconnect pipedrive said %q", out)
	}
	if out, _ := e.mustRun(t, "disconnect", "pipedrive"); !strings.Contains(out, "not connected; nothing to do") {
		t.Errorf("disconnecting twice said %q", out)
	}

	s := e.status(t)
	if s.Pipedrive.Connected || s.QuickBooks.Connected || s.Kept == nil ||
		s.Kept.Pipedrive != before.Pipedrive.Company || s.Kept.QuickBooks != before.QuickBooks.Company {
		t.Fatalf("status after disconnecting = %+v, want nothing connected and the copies of %s and %s kept",
			s, before.Pipedrive.Company, before.QuickBooks.Company)
	}

	keptHistory, said := e.mustRun(t, "history")
	if keptHistory != historyOut {
		t.Errorf("kept history differs from the one read while connected:\n%s\nwas\n%s", keptHistory, historyOut)
	}
	if !strings.Contains(said, "offline copies kept from Pipedrive "+before.Pipedrive.Company) ||
		!strings.Contains(said, "QuickBooks "+before.QuickBooks.Company) || !strings.Contains(said, "disconnected just now") {
		t.Errorf("history's stderr %q does not say whose copies these are and how old", said)
	}
	keptDeals, said := e.mustRun(t, "deals")
	if keptDeals != dealsOut || strings.Contains(said, "cannot be reached") {
		t.Errorf("kept deals: stderr %q; same list as before: %v", said, keptDeals == dealsOut)
	}
	code, _, errOut := e.run("", "deals", "--reload")
	if code != ExitError || !strings.Contains(errOut, "connect Pipedrive and QuickBooks again") {
		t.Errorf("deals --reload while disconnected = %d %q, want exit 1 asking to connect", code, errOut)
	}
	code, _, errOut = e.run("", "invoice", "draft", "--deal", "1")
	if code != ExitError || !strings.Contains(errOut, "connect Pipedrive and QuickBooks in the Dealbooks window first") {
		t.Errorf("invoice draft while disconnected = %d %q, want exit 1 asking to connect", code, errOut)
	}

	out, _ = e.mustRun(t, "connect", "pipedrive")
	if !strings.HasPrefix(out, "connected Pipedrive: "+before.Pipedrive.Company) {
		t.Errorf("connect pipedrive said %q", out)
	}
	out, _ = e.mustRun(t, "connect", "quickbooks", "--sandbox")
	if !strings.HasPrefix(out, "connected QuickBooks: ") || !strings.Contains(out, "sandbox company") {
		t.Errorf("connect quickbooks --sandbox said %q", out)
	}
	if s := e.status(t); !s.Pipedrive.Connected || !s.QuickBooks.Connected || s.Queued == nil {
		t.Errorf("status after connecting again = %+v", s)
	}
}

func TestDisconnectDeleteRemovesTheOfflineCopies(t *testing.T) {
	e := newProfileEnv(t)
	e.mustRun(t, "deals")
	out, _ := e.mustRun(t, "disconnect", "quickbooks", "--delete")
	if !strings.Contains(out, "were deleted") {
		t.Errorf("disconnect --delete said %q", out)
	}
	if s := e.status(t); s.Kept != nil {
		t.Errorf("status after --delete = %+v, want nothing kept", s.Kept)
	}
	code, _, errOut := e.run("", "history")
	if code != ExitError || !strings.Contains(errOut, "connect Pipedrive and QuickBooks") {
		t.Errorf("history with nothing connected or kept = %d %q", code, errOut)
	}
}

func TestConnectPipedriveWithAnAPITokenOnStandardInput(t *testing.T) {
	e := newProfileEnv(t)
	code, _, errOut := e.run("not-the-token\n", "connect", "pipedrive", "--api-token-stdin")
	if code != ExitError || !strings.Contains(errOut, "did not accept this API token") {
		t.Errorf("a wrong token = %d %q, want exit 1 saying Pipedrive refused it", code, errOut)
	}
	code, out, errOut := e.run(pipedrivefake.DefaultAPIToken+"\n", "connect", "pipedrive", "--api-token-stdin")
	if code != ExitOK || !strings.Contains(out, "with a personal API token") {
		t.Errorf("the demo's token = %d %q %q", code, out, errOut)
	}
	if s := e.status(t); !s.Pipedrive.APIToken {
		t.Errorf("status = %+v, want Pipedrive connected by API token", s.Pipedrive)
	}
}

func TestConnectWrongCommandLinesExit2(t *testing.T) {
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"connect"}, "name pipedrive or quickbooks"},
		{[]string{"connect", "xero"}, `unknown service "xero"`},
		{[]string{"connect", "quickbooks", "--api-token-stdin"}, "flag provided but not defined"},
		{[]string{"connect", "pipedrive", "--sandbox"}, "flag provided but not defined"},
		{[]string{"disconnect"}, "name pipedrive or quickbooks"},
		{[]string{"disconnect", "quickbooks", "--keep", "--delete"}, "not both"},
		{[]string{"status", "now"}, `unexpected ["now"]`},
	} {
		code, out, errOut := run(c.args...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, c.says) || !strings.Contains(errOut, "Usage:") {
			t.Errorf("%v = %d %q %q; want exit 2 saying %q with the usage", c.args, code, out, errOut, c.says)
		}
	}
}

// On a machine without a browser the sign-in address is printed, and a browser that fails is no failure.
func TestPrintingBrowserPrintsTheAddress(t *testing.T) {
	var printed bytes.Buffer
	opened := ""
	open := PrintingBrowser(&printed, func(url string) error { opened = url; return errors.New("no display") })
	const address = "https://oauth.pipedrive.com/oauth/authorize?client_id=abc&state=xyz"
	if err := open(address); err != nil {
		t.Errorf("OpenURL = %v, want nil: the address is printed", err)
	}
	if !strings.Contains(printed.String(), "\n  "+address+"\n") || opened != address {
		t.Errorf("printed %q, opened %q", printed.String(), opened)
	}
}
