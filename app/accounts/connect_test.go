package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dealbooks/internal/clock"

	"dealbooks/app/accounts/accountstest"

	"dealbooks/app/invoicing"
	"dealbooks/app/platform"
	"dealbooks/app/secrets"
	"dealbooks/app/store"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks/qbofake"
)

// recordingSecrets is the secrets file (standing in for the keychain) that remembers every value
// written to it, so the test knows every secret there ever was.
type recordingSecrets struct {
	*secrets.FileStore
	mu      sync.Mutex
	written []string
}

func (r *recordingSecrets) Set(ctx context.Context, key, value string) error {
	r.mu.Lock()
	r.written = append(r.written, value)
	r.mu.Unlock()
	return r.FileStore.Set(ctx, key, value)
}

// secretValues are the tokens and client secrets inside every value written: the token and client
// JSON's secret fields, or the whole value (an API token).
func (r *recordingSecrets) secretValues() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, v := range r.written {
		var fields map[string]any
		if json.Unmarshal([]byte(v), &fields) != nil {
			out = append(out, v)
			continue
		}
		for _, name := range []string{"access_token", "refresh_token", "secret"} {
			if s, ok := fields[name].(string); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (r *recordingSecrets) has(t *testing.T, key string) bool {
	t.Helper()
	_, err := r.Get(context.Background(), key)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}

type fixture struct {
	dir     string
	clock   *clock.Manual
	pd      *pipedrivefake.Server
	qb      *qbofake.Server
	pdURL   string
	qbURL   string
	qbSrv   *httptest.Server
	secrets *recordingSecrets
	db      *store.Store
	log     *platform.Log
	browser *accountstest.Browser

	mu        sync.Mutex
	forgotten []invoicing.AccountPair
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: clock.NewManual(time.Now()), browser: accountstest.Approving()}
	data := pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 7, Deals: 5})
	f.pd = pipedrivefake.New(pipedrivefake.Options{Now: f.clock.Now, Dataset: &data})
	f.qb = qbofake.New(qbofake.Options{Now: f.clock.Now, CompanyName: "Larkspur Supplies", Country: "GB"})
	pd := httptest.NewServer(f.pd)
	t.Cleanup(pd.Close)
	f.qbSrv = httptest.NewServer(f.qb)
	t.Cleanup(f.qbSrv.Close)
	f.pdURL, f.qbURL = pd.URL, f.qbSrv.URL

	f.secrets = &recordingSecrets{FileStore: secrets.NewFile(filepath.Join(f.dir, "secrets"))}
	var err error
	if f.db, err = store.Open(context.Background(), filepath.Join(f.dir, "data", "dealbooks.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.db.Close() })
	if f.log, err = platform.OpenLog(filepath.Join(f.dir, "data", "logs"), slog.LevelDebug); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.log.Close() })
	return f
}

// profile is a new Manager over the fixture's secrets and database, as after a restart of the app.
func (f *fixture) profile() *Manager { return f.profileOver(f.secrets) }

// profileOver is profile with its secrets kept in store instead.
func (f *fixture) profileOver(store secrets.Store) *Manager {
	return New(context.Background(), Options{
		Secrets:  store,
		Settings: f.db,
		Endpoints: Endpoints{
			PipedriveAPI: f.pdURL, PipedriveOAuth: f.pdURL, QuickBooksAPI: f.qbURL, QuickBooksOAuth: f.qbURL,
		},
		BuiltIn: map[invoicing.Provider]secrets.Client{
			invoicing.Pipedrive:  {ID: pipedrivefake.DefaultClientID, Secret: pipedrivefake.DefaultClientSecret},
			invoicing.QuickBooks: {ID: qbofake.DefaultClientID, Secret: qbofake.DefaultClientSecret},
		},
		OpenURL:        f.browser.Open,
		BrowserTimeout: time.Minute,
		Log:            f.log.Logger,
		ForgetHistory: func(_ context.Context, pair invoicing.AccountPair) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.forgotten = append(f.forgotten, pair)
			return nil
		},
	})
}

func (f *fixture) setting(t *testing.T, key string) string {
	t.Helper()
	v, _, err := f.db.Setting(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (f *fixture) qbRequests(method, path string) int {
	n := 0
	for _, r := range f.qb.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

func TestConnectPipedriveInTheBrowser(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	ctx := context.Background()

	c, err := p.ConnectPipedrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Connected || c.Account == "" || c.User == "" || c.AccountID == "" || c.APIToken {
		t.Errorf("connection = %+v, want a company and user by OAuth", c)
	}
	if len(f.browser.Opened) != 1 || !strings.HasPrefix(f.browser.Opened[0], f.pdURL+"/oauth/authorize?") {
		t.Errorf("browser opened %q, want the fake's authorize page", f.browser.Opened)
	}
	if got := f.setting(t, KeyPipedriveAccount); got != c.Account {
		t.Errorf("status bar setting = %q, want %q", got, c.Account)
	}
	state, err := f.profile().State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if state.Pipedrive != c {
		t.Errorf("state after restart = %+v, want %+v", state.Pipedrive, c)
	}
	client, err := f.profile().Pipedrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Me(ctx); err != nil {
		t.Errorf("the client built after a restart cannot read users/me: %v", err)
	}
}

func TestConnectQuickBooksInTheBrowser(t *testing.T) {
	for _, sandbox := range []bool{true, false} {
		f := newFixture(t)
		ctx := context.Background()
		c, err := f.profile().ConnectQuickBooks(ctx, sandbox)
		if err != nil {
			t.Fatal(err)
		}
		want := invoicing.Connection{Provider: invoicing.QuickBooks, Connected: true, Account: "Larkspur Supplies",
			AccountID: f.qb.RealmID(), Sandbox: sandbox}
		if c != want {
			t.Errorf("connection = %+v, want %+v", c, want)
		}
		state, err := f.profile().State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if state.QuickBooks != want {
			t.Errorf("state = %+v, want %+v", state.QuickBooks, want)
		}
		if got := f.setting(t, KeyQuickBooksCompany); got != "Larkspur Supplies" {
			t.Errorf("status bar setting = %q", got)
		}
	}
}

func TestFailedSignInSavesNothingAndSaysWhy(t *testing.T) {
	cases := []struct {
		name    string
		browser accountstest.Browser
		cancel  bool
		want    invoicing.ConnectReason
	}{
		{"denied", accountstest.Browser{Decision: "deny"}, false, invoicing.Denied},
		{"wrong state", accountstest.Browser{Decision: "approve", Tamper: func(f url.Values) { f.Set("state", f.Get("state")+"x") }}, false, invoicing.WrongAttempt},
		{"timeout", accountstest.Browser{Ignore: true}, false, invoicing.TimedOut},
		{"cancelled", accountstest.Browser{Ignore: true}, true, invoicing.Cancelled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, provider := range []invoicing.Provider{invoicing.Pipedrive, invoicing.QuickBooks} {
				f := newFixture(t)
				*f.browser = tc.browser
				p := f.profile()
				p.opts.BrowserTimeout = 20 * time.Millisecond
				ctx, cancel := context.WithCancel(context.Background())
				if tc.cancel {
					p.opts.BrowserTimeout = time.Minute
					f.browser.OnOpen = cancel
				}
				var err error
				if provider == invoicing.Pipedrive {
					_, err = p.ConnectPipedrive(ctx)
				} else {
					_, err = p.ConnectQuickBooks(ctx, true)
				}
				cancel()
				var ce *invoicing.ConnectError
				if !errors.As(err, &ce) || ce.Reason != tc.want || ce.Provider != provider {
					t.Errorf("%s: err = %v, want a ConnectError with reason %d", provider, err, tc.want)
				}
				if f.secrets.has(t, tokenKeys[provider]) {
					t.Errorf("%s: a token was saved after a failed sign-in", provider)
				}
				state, err := p.State(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if state.Pipedrive.Connected || state.QuickBooks.Connected {
					t.Errorf("%s: state = %+v after a failed sign-in", provider, state)
				}
			}
		})
	}
}

func TestSignInWhoseAccountCannotBeReadKeepsNoToken(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	f.pd.InjectFault(pipedrivefake.Fault{Method: "GET", Path: "/api/v1/users/me", Status: 500, Times: 10})
	_, err := p.ConnectPipedrive(context.Background())
	var ce *invoicing.ConnectError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a ConnectError", err)
	}
	if f.secrets.has(t, secretPipedriveToken) || f.setting(t, KeyPipedriveAccount) != "" {
		t.Error("a token or account was kept for a sign-in whose user could not be read")
	}
	if n := f.pd.Count("POST /oauth/revoke"); n != 1 {
		t.Errorf("revoke calls = %d, want 1: the unused grant is ended", n)
	}
}

func TestPasteSignIn(t *testing.T) {
	for _, provider := range []invoicing.Provider{invoicing.Pipedrive, invoicing.QuickBooks} {
		f := newFixture(t)
		f.browser.Stay = true
		p := f.profile()
		ctx := context.Background()

		finish, err := p.PasteSignIn(ctx, provider, true)
		if err != nil {
			t.Fatal(err)
		}
		if f.browser.Landed == "" {
			t.Fatalf("%s: the browser did not end on the redirect URI", provider)
		}
		var ce *invoicing.ConnectError
		if _, err := finish(ctx, "the wrong text"); !errors.As(err, &ce) || ce.Reason != invoicing.BadPaste {
			t.Errorf("%s: pasting text: err = %v, want reason BadPaste", provider, err)
		}
		other := strings.Replace(f.browser.Landed, "state=", "state=x", 1)
		if _, err := finish(ctx, other); !errors.As(err, &ce) || ce.Reason != invoicing.WrongAttempt {
			t.Errorf("%s: pasting another attempt's address: err = %v, want reason WrongAttempt", provider, err)
		}
		c, err := finish(ctx, "  "+f.browser.Landed+"\n")
		if err != nil {
			t.Fatalf("%s: %v", provider, err)
		}
		if !c.Connected || c.Account == "" {
			t.Errorf("%s: connection = %+v", provider, c)
		}
		state, err := f.profile().State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if (provider == invoicing.Pipedrive && state.Pipedrive != c) || (provider == invoicing.QuickBooks && state.QuickBooks != c) {
			t.Errorf("%s: state after restart = %+v", provider, state)
		}
	}
}

func TestNoBrowserIsSaidSo(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	p.opts.OpenURL = func(string) error { return errors.New("exec: xdg-open: not found") }
	_, err := p.ConnectPipedrive(context.Background())
	var ce *invoicing.ConnectError
	if !errors.As(err, &ce) || ce.Reason != invoicing.NoBrowser {
		t.Fatalf("err = %v, want reason NoBrowser", err)
	}
}

func TestNoDeveloperAppMeansNoSignIn(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	p.opts.BuiltIn = nil
	_, err := p.ConnectQuickBooks(context.Background(), false)
	var ce *invoicing.ConnectError
	if !errors.As(err, &ce) || ce.Reason != invoicing.NoClient {
		t.Fatalf("err = %v, want reason NoClient", err)
	}
	if len(f.browser.Opened) != 0 {
		t.Error("the browser was opened without a developer app")
	}
	state, err := p.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if state.HasClient[invoicing.QuickBooks] {
		t.Error("state says a QuickBooks developer app is known")
	}

	// A client saved in Settings is used from then on.
	if err := p.SaveClient(context.Background(), invoicing.QuickBooks, qbofake.DefaultClientID, qbofake.DefaultClientSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ConnectQuickBooks(context.Background(), false); err != nil {
		t.Fatalf("connect with the saved client: %v", err)
	}
}

func TestWrongClientSecretIsABadToken(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	p.opts.BuiltIn[invoicing.QuickBooks] = secrets.Client{ID: qbofake.DefaultClientID, Secret: "wrong"}
	_, err := p.ConnectQuickBooks(context.Background(), true)
	var ce *invoicing.ConnectError
	if !errors.As(err, &ce) || ce.Reason != invoicing.BadToken {
		t.Fatalf("err = %v, want reason BadToken", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error shows the client secret: %v", err)
	}
}

func TestPipedriveAPIToken(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	ctx := context.Background()

	for _, bad := range []string{"", "  ", "not-the-token"} {
		_, err := p.ConnectPipedriveToken(ctx, bad)
		var ce *invoicing.ConnectError
		if !errors.As(err, &ce) || ce.Reason != invoicing.BadToken {
			t.Errorf("token %q: err = %v, want reason BadToken", bad, err)
		}
		if bad == "not-the-token" && strings.Contains(err.Error(), bad) {
			t.Errorf("the error repeats the token: %v", err)
		}
	}
	if f.secrets.has(t, secretPipedriveAPIToken) || f.setting(t, KeyPipedriveAccount) != "" {
		t.Fatal("a refused token was saved")
	}

	// A browser sign-in first: the API token replaces it, and the grant is revoked.
	if _, err := p.ConnectPipedrive(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := p.ConnectPipedriveToken(ctx, " "+pipedrivefake.DefaultAPIToken+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Connected || !c.APIToken || c.Account == "" || c.User == "" {
		t.Errorf("connection = %+v", c)
	}
	if f.secrets.has(t, secretPipedriveToken) {
		t.Error("the OAuth token is still kept beside the API token")
	}
	if n := f.pd.Count("POST /oauth/revoke"); n != 1 {
		t.Errorf("revoke calls = %d, want 1", n)
	}
	client, err := f.profile().Pipedrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Me(ctx); err != nil {
		t.Errorf("client with the saved API token: %v", err)
	}
}

func TestRotatedRefreshTokenSurvivesRestarts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.profile().ConnectQuickBooks(ctx, true); err != nil {
		t.Fatal(err)
	}
	first := refreshToken(t, f)

	// Two hours on, the access token has expired: the next run refreshes, and QuickBooks rotates the
	// refresh token.
	f.clock.Advance(2 * time.Hour)
	readCompany(t, f.profile())
	second := refreshToken(t, f)
	if second == first {
		t.Fatal("the refresh token did not rotate")
	}

	// A day and more later the first refresh token is dead; only the rotated one, saved before it was
	// used, still works after another restart.
	f.clock.Advance(30 * time.Hour)
	readCompany(t, f.profile())
	if refreshToken(t, f) == second {
		t.Error("the second refresh did not rotate the token")
	}
}

// killedBeforeSave is the secrets store of a process killed after QuickBooks answered a refresh but
// before the rotated token reached the keychain: every save of key fails, and nothing changes.
type killedBeforeSave struct {
	secrets.Store
	key string
}

func (k killedBeforeSave) Set(ctx context.Context, key, value string) error {
	if key == k.key {
		return errors.New("process killed before the save")
	}
	return k.Store.Set(ctx, key, value)
}

func TestRefreshTokenRotatedButNeverSavedStillConnects(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.profile().ConnectQuickBooks(ctx, true); err != nil {
		t.Fatal(err)
	}
	first := refreshToken(t, f)

	// The access token has expired: this run refreshes, QuickBooks rotates the refresh token, and
	// the process dies before the new one is saved.
	f.clock.Advance(2 * time.Hour)
	dying := f.profileOver(killedBeforeSave{Store: f.secrets, key: secretQuickBooksToken})
	client, err := dying.QuickBooks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CompanyInfo(ctx); err == nil {
		t.Fatal("the call succeeded although its token could not be saved")
	}
	if n := f.qbRequests("POST", "/oauth2/v1/tokens/bearer"); n < 2 {
		t.Fatalf("token endpoint calls = %d, want the connect and a refresh", n)
	}
	if refreshToken(t, f) != first {
		t.Fatal("the keychain changed although the save failed")
	}

	// After the restart the keychain holds the refresh token QuickBooks already replaced; it keeps
	// it valid for a day, so the next run connects and saves the newly rotated token.
	readCompany(t, f.profile())
	second := refreshToken(t, f)
	if second == first {
		t.Fatal("the rotated refresh token was not saved")
	}

	// The saved token is the live one: a day and more later, when the first has died, it still works.
	f.clock.Advance(30 * time.Hour)
	readCompany(t, f.profile())
	if refreshToken(t, f) == second {
		t.Error("the later refresh did not rotate the token")
	}
}

func refreshToken(t *testing.T, f *fixture) string {
	t.Helper()
	v, err := f.secrets.Get(context.Background(), secretQuickBooksToken)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal([]byte(v), &tok); err != nil || tok.RefreshToken == "" {
		t.Fatalf("saved token has no refresh token (%v)", err)
	}
	return tok.RefreshToken
}

func readCompany(t *testing.T, p *Manager) {
	t.Helper()
	client, err := p.QuickBooks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CompanyInfo(context.Background()); err != nil {
		t.Fatalf("read CompanyInfo: %v", err)
	}
}

func TestDisconnectRevokesForgetsAndAsksAboutHistory(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	ctx := context.Background()
	pdc, qbc := accountstest.ConnectBoth(t, p)

	if err := p.Disconnect(ctx, invoicing.QuickBooks, false); err != nil {
		t.Fatal(err)
	}
	if n := f.qbRequests("POST", "/v2/oauth2/tokens/revoke"); n != 1 {
		t.Errorf("QuickBooks revoke calls = %d, want 1", n)
	}
	if f.secrets.has(t, secretQuickBooksToken) {
		t.Error("the QuickBooks token is still saved")
	}
	want := []invoicing.AccountPair{{PipedriveCompany: pdc.AccountID, QuickBooksRealm: qbc.AccountID}}
	if len(f.forgotten) != 1 || f.forgotten[0] != want[0] {
		t.Errorf("history forgotten for %+v, want %+v", f.forgotten, want)
	}

	if err := p.Disconnect(ctx, invoicing.Pipedrive, true); err != nil {
		t.Fatal(err)
	}
	if n := f.pd.Count("POST /oauth/revoke"); n != 1 {
		t.Errorf("Pipedrive revoke calls = %d, want 1", n)
	}
	if f.secrets.has(t, secretPipedriveToken) {
		t.Error("the Pipedrive token is still saved")
	}
	if len(f.forgotten) != 1 {
		t.Errorf("history was forgotten although the rep kept it: %+v", f.forgotten)
	}
	state, err := f.profile().State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if state.Pipedrive.Connected || state.QuickBooks.Connected || f.setting(t, KeyPipedriveAccount) != "" {
		t.Errorf("state after disconnecting both = %+v", state)
	}
}

func TestDisconnectWhileQuickBooksIsUnreachableStillForgets(t *testing.T) {
	f := newFixture(t)
	p := f.profile()
	ctx := context.Background()
	if _, err := p.ConnectQuickBooks(ctx, true); err != nil {
		t.Fatal(err)
	}
	f.qbSrv.Close()
	err := p.Disconnect(ctx, invoicing.QuickBooks, true)
	var ce *invoicing.ConnectError
	if !errors.As(err, &ce) || ce.Reason != invoicing.NotRevoked {
		t.Fatalf("err = %v, want reason NotRevoked", err)
	}
	if f.secrets.has(t, secretQuickBooksToken) || f.setting(t, KeyQuickBooksCompany) != "" {
		t.Error("the connection is still kept")
	}
}

// TestNoSecretReachesTheDatabaseOrTheLog runs every flow, then reads the database and log files byte
// by byte for every token and secret the secrets store was ever given.
func TestNoSecretReachesTheDatabaseOrTheLog(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := f.profile()
	if err := p.SaveClient(ctx, invoicing.QuickBooks, qbofake.DefaultClientID, qbofake.DefaultClientSecret); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ConnectPipedrive(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ConnectQuickBooks(ctx, true); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * time.Hour)
	readCompany(t, f.profile())
	if _, err := p.ConnectPipedriveToken(ctx, "wrong-token-value"); err == nil {
		t.Fatal("a wrong API token was accepted")
	}
	if _, err := p.ConnectPipedriveToken(ctx, pipedrivefake.DefaultAPIToken); err != nil {
		t.Fatal(err)
	}
	*f.browser = accountstest.Browser{Decision: "deny"}
	if _, err := p.ConnectQuickBooks(ctx, true); err == nil {
		t.Fatal("a denied sign-in connected")
	}
	if err := p.Disconnect(ctx, invoicing.QuickBooks, true); err != nil {
		t.Fatal(err)
	}
	if err := p.Disconnect(ctx, invoicing.Pipedrive, false); err != nil {
		t.Fatal(err)
	}

	values := append(f.secrets.secretValues(), "wrong-token-value", pipedrivefake.DefaultClientSecret, qbofake.DefaultClientSecret)
	if len(values) < 6 {
		t.Fatalf("only %d secrets were seen; the flows did not run", len(values))
	}
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.log.Close(); err != nil {
		t.Fatal(err)
	}
	scanned := 0
	err := filepath.WalkDir(filepath.Join(f.dir, "data"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned++
		for _, v := range values {
			if strings.Contains(string(content), v) {
				t.Errorf("%s contains a secret (%d characters)", filepath.Base(path), len(v))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 2 {
		t.Errorf("scanned %d files, want the database and the log", scanned)
	}
}
