package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"dealbooks/internal/clock"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"golang.org/x/oauth2"

	"dealbooks/app/adapters"
	"dealbooks/app/invoicing"
	"dealbooks/app/store"
	"dealbooks/app/ui"
	"dealbooks/integrations/pipedrive"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks"
	"dealbooks/integrations/quickbooks/qbofake"
)

// stack is the whole app as main.go wires it, over the two fakes on httptest servers: the window, the
// invoicing Service, a SQLite database in a temporary folder and the connectors.
type stack struct {
	data    pipedrivefake.Dataset
	pd      *pipedrivefake.Server
	qbo     *qbofake.Server
	servers []*httptest.Server
	clock   *clock.Manual
	db      *store.Store
	svc     *invoicing.Service
	window  *ui.MainWindow
	saved   *savedFile
}

// newStack seeds both fakes, serves them and builds the Service over the store and the connectors.
func newStack(t *testing.T) *stack {
	t.Helper()
	ctx := context.Background()
	s := &stack{clock: clock.NewManual(time.Date(2026, time.November, 2, 9, 0, 0, 0, time.UTC)), saved: &savedFile{dir: t.TempDir()}}

	s.data = pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1, Deals: 40, Now: s.clock.Now()})
	s.pd = pipedrivefake.New(pipedrivefake.Options{Dataset: &s.data, BurstLimit: 1 << 20})
	pipedriveURL := s.serve(t, s.pd)
	s.qbo = qbofake.New(qbofake.Options{Now: s.clock.Now, Unlimited: true})
	if err := s.qbo.SeedDemo(); err != nil {
		t.Fatal(err)
	}
	quickbooksURL := s.serve(t, s.qbo)

	pd, err := pipedrive.New(pipedrive.Config{APIToken: pipedrivefake.DefaultAPIToken, BaseURL: pipedriveURL, Clock: clock.Instant{}})
	if err != nil {
		t.Fatal(err)
	}
	qb, err := quickbooks.New(quickbooks.Config{
		BaseURL:           quickbooksURL,
		RealmID:           s.qbo.RealmID(),
		TokenSource:       oauth2.StaticTokenSource(s.qbo.IssueTokens()),
		Clock:             clock.Instant{},
		RequestsPerMinute: 1 << 30,
	})
	if err != nil {
		t.Fatal(err)
	}

	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "dealbooks.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s.db = db
	repo, err := db.Repository(ctx, strconv.FormatInt(s.data.Me.CompanyID, 10), s.qbo.RealmID())
	if err != nil {
		t.Fatal(err)
	}
	prefs := invoicing.DefaultPreferences()
	prefs.DefaultItemID = s.qbo.DefaultItemID()
	if err := repo.SavePreferences(ctx, prefs); err != nil {
		t.Fatal(err)
	}
	s.svc = invoicing.NewService(invoicing.Config{
		CRM:        adapters.NewPipedrive(pd, adapters.Options{}),
		Accounting: adapters.NewQuickBooks(qb, adapters.Options{}),
		Repository: repo,
		Files:      adapters.NewFolder(t.TempDir()),
		Now:        s.clock.Now,
	})
	return s
}

// open shows the window over the stack, as the app does once both accounts are connected, with background
// work run inline and files "saved" into memory.
func (s *stack) open(t *testing.T) {
	t.Helper()
	a := test.NewTempApp(t)
	if err := ui.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ui.UseLanguage("en") })
	s.window = ui.NewMainWindow(a, ui.Deps{
		Language:    "en",
		Settings:    s.db,
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		Invoicing:   s.svc,
		Preferences: s.svc,
		AskSavePath: s.saved.ask,
		Background:  func(work func()) { work() },
	})
	s.window.Window().Resize(fyne.NewSize(1280, 800))
}

// serve puts h on an httptest server, closed when the test ends, and returns its base URL.
func (s *stack) serve(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	s.servers = append(s.servers, srv)
	return srv.URL
}

// stopFakes takes both fakes off the network, as when the laptop loses its connection.
func (s *stack) stopFakes() {
	for _, srv := range s.servers {
		srv.Close()
	}
}

// savedFile stands in for the system's save dialog: the rep always chooses the suggested name in dir.
type savedFile struct {
	dir  string
	name string // the name the dialog suggested last
}

func (f *savedFile) ask(_ context.Context, q ui.SaveQuestion) (string, error) {
	f.name = q.Name
	return filepath.Join(f.dir, q.Name), nil
}

// data is what the window wrote at the path chosen last.
func (f *savedFile) data(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(f.dir, f.name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
