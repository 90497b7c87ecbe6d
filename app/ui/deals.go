package ui

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

// searchDelay is how long the picker waits after the last keystroke before it asks Pipedrive, so a rep typing
// a name sends one search, not one per letter.
const searchDelay = 400 * time.Millisecond

// afterFunc calls f once after d unless the returned stop is called first; time.AfterFunc in the app, a manual
// clock in tests.
type afterFunc func(d time.Duration, f func()) (stop func() bool)

func realAfter(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// Choices of the picker's status filter, in the order the Select shows them.
const (
	statusOpenWon = iota
	statusOpen
	statusWon
	statusLost
	statusAll
)

// dealsScreen is the Deals tab: the deal picker, and the deal view it opens.
type dealsScreen struct {
	m       *MainWindow
	content *fyne.Container // holds the picker or one deal's view
	picker  *dealPicker
	deal    *dealView // the open deal; nil while the picker shows
}

func newDealsScreen(m *MainWindow) *dealsScreen {
	s := &dealsScreen{m: m}
	s.picker = newDealPicker(m, s.open)
	s.content = container.NewStack(s.picker.content)
	return s
}

// open shows the deal's invoice editor and history in place of the picker.
func (s *dealsScreen) open(d invoicing.Deal) {
	s.m.tips.hide() // the row the pointer rested on is gone
	s.deal = newDealView(s.m, d, s.back)
	s.content.Objects = []fyne.CanvasObject{s.deal.content}
	s.content.Refresh()
}

// backgroundRefreshed reads the deals again after a background refresh, and the open deal's invoices.
func (s *dealsScreen) backgroundRefreshed(offline bool) {
	s.picker.load()
	if s.deal != nil {
		s.deal.history.setOffline(offline)
		s.deal.history.reload()
	}
}

// back returns to the picker, which kept its search and scroll position, and keeps the draft as it stands.
func (s *dealsScreen) back() {
	s.deal.editor.save()
	s.deal = nil
	s.m.tips.hide()
	s.content.Objects = []fyne.CanvasObject{s.picker.content}
	s.content.Refresh()
}

// dealPicker lists the rep's deals from the local cache, filters them as the rep types, and asks Pipedrive when
// the cache has no match.
type dealPicker struct {
	m       *MainWindow
	content fyne.CanvasObject
	onOpen  func(invoicing.Deal)
	after   afterFunc

	search  *textField
	status  *widget.Select
	owner   *widget.Select
	list    *widget.List
	view    *dealList     // the list as the window holds it: Enter opens the deal it highlights
	info    *widget.Label // what the list shows when it is not the cache as filtered: searching, none found, offline
	refresh *widget.Button
	reload  *widget.Button // fetches every deal again; nil when the service cannot

	all    []invoicing.Deal // the cache, open and won first, newest first
	keys   []string         // per deal in all: title, organization and person in lower case, for filtering
	owners []int64          // the owners in all, in the order the owner filter lists them
	names  map[int64]string // the owners' names, once Pipedrive gave them
	shown  []invoicing.Deal // what the list shows

	stopSearch  func() bool        // stops the remote search waiting for the rep to finish typing
	stopRefresh context.CancelFunc // cancels the fetch of new deals; nil while none runs
	searchSeq   int                // counts searches, so an answer to an older one is dropped
}

func newDealPicker(m *MainWindow, onOpen func(invoicing.Deal)) *dealPicker {
	p := &dealPicker{m: m, onOpen: onOpen, after: realAfter}
	p.search = newField(m)
	p.search.OnSubmitted = p.onSearchSubmitted
	p.search.down = p.intoList
	p.search.SetPlaceHolder(lang.X("deals.search", "Search deals by title, organization or person"))
	p.search.OnChanged = p.onSearchChanged
	p.status = widget.NewSelect([]string{
		lang.X("deals.filter.open_won", "Open and won"),
		lang.X("deals.status.open", "Open"),
		lang.X("deals.status.won", "Won"),
		lang.X("deals.status.lost", "Lost"),
		lang.X("deals.filter.all", "All statuses"),
	}, nil)
	p.status.SetSelectedIndex(statusOpenWon)
	p.status.OnChanged = func(string) { p.filter() }
	p.owner = widget.NewSelect([]string{lang.X("deals.filter.all_owners", "All owners")}, nil)
	p.owner.SetSelectedIndex(0)
	p.owner.OnChanged = func(string) { p.filter() }
	p.info = widget.NewLabel("")
	p.info.Wrapping = fyne.TextWrapWord
	p.info.Hide()
	p.refresh = widget.NewButtonWithIcon(lang.X("deals.refresh", "Get new deals"), theme.ViewRefreshIcon(), p.onRefresh)
	p.view = &dealList{List: widget.List{
		Length:     func() int { return len(p.shown) },
		CreateItem: func() fyne.CanvasObject { return newDealRow(m.tips) },
		UpdateItem: func(id widget.ListItemID, o fyne.CanvasObject) { o.(*dealRow).show(p.shown[id]) },
		OnSelected: p.onSelected,
	}, keys: m, search: p.search}
	p.view.OnHighlighted = func(id widget.ListItemID) { p.view.highlighted = id }
	p.view.ExtendBaseWidget(p.view)
	p.list = &p.view.List

	// The filters and actions wrap onto another row rather than widen the window (Dutch needs the room).
	actions := container.New(layout.NewRowWrapLayout(), wideSelect(p.status), wideSelect(p.owner),
		withTip(m.tips, p.refresh, shortcutText(keyRefresh)))
	if _, ok := m.deps.Invoicing.(dealsReloader); ok {
		p.reload = widget.NewButton(lang.X("deals.reload", "Reload all deals"), p.onReload)
		actions.Add(p.reload)
	}
	p.content = container.NewBorder(container.NewVBox(withTip(m.tips, p.search, shortcutText(keyFind)), actions, p.info), nil, nil, nil, p.view)
	p.load()
	p.loadOwners()
	return p
}

// loadOwners reads the names of the deal owners, off the UI goroutine, for the owner filter. Without them
// (offline, or Pipedrive does not let the connection list users) the filter numbers the owners.
func (p *dealPicker) loadOwners() {
	call(p.m.bg, networkCall, p.m.deps.Invoicing.Owners, func(owners []invoicing.Owner, err error) {
		if err != nil {
			p.m.deps.Log.Error("read deal owners", "err", err)
			return
		}
		if len(owners) == 0 {
			return
		}
		p.names = make(map[int64]string, len(owners))
		for _, o := range owners {
			p.names[o.ID] = o.Name
		}
		p.showOwners(p.ownerID())
	})
}

// load reads the cached deals, off the UI goroutine.
func (p *dealPicker) load() {
	call(p.m.bg, localCall, p.cached, p.showCached)
}

// cached reads the deals in the cache.
func (p *dealPicker) cached(ctx context.Context) (invoicing.DealList, error) {
	return p.m.deps.Invoicing.Deals(ctx, invoicing.DealQuery{})
}

func (p *dealPicker) showCached(list invoicing.DealList, err error) {
	if err != nil {
		p.m.deps.Log.Error("read cached deals", "err", err)
		p.showInfo(explain(err))
		return
	}
	p.setDeals(list.Deals)
	switch {
	case len(list.Deals) == 0 && list.SyncedAt.IsZero() && p.stopRefresh == nil:
		p.onRefresh() // just connected: the deals load by themselves
	case len(list.Deals) == 0:
		p.showInfo(lang.X("deals.none_cached", "No deals here yet. Choose Get new deals to fetch them from Pipedrive."))
	}
}

// setDeals replaces the cache the picker filters, keeping the search and filters the rep chose.
func (p *dealPicker) setDeals(deals []invoicing.Deal) {
	chosen := p.ownerID()
	p.all = deals
	p.keys = make([]string, len(deals))
	p.owners = p.owners[:0]
	for i, d := range deals {
		p.keys[i] = strings.ToLower(d.Title + "\n" + d.OrgName + "\n" + d.PersonName)
		if !slices.Contains(p.owners, d.OwnerID) {
			p.owners = append(p.owners, d.OwnerID)
		}
	}
	p.showOwners(chosen)
	p.filter()
}

// showOwners lists the owners in the owner filter, named ones by name first, and keeps the chosen owner (0: all
// owners) selected while the deals still have them.
func (p *dealPicker) showOwners(chosen int64) {
	slices.SortFunc(p.owners, p.compareOwners)
	options := []string{lang.X("deals.filter.all_owners", "All owners")}
	selected := 0
	for i, id := range p.owners {
		name := p.names[id]
		if name == "" {
			name = lang.X("deals.filter.owner", "Owner {{.ID}}", map[string]any{"ID": id})
		}
		options = append(options, name)
		if id == chosen {
			selected = i + 1
		}
	}
	p.owner.OnChanged = nil
	p.owner.SetOptions(options)
	p.owner.SetSelectedIndex(selected)
	p.owner.OnChanged = func(string) { p.filter() }
}

// compareOwners orders owners by name, those without one last, by id.
func (p *dealPicker) compareOwners(a, b int64) int {
	na, nb := p.names[a], p.names[b]
	switch {
	case na == "" && nb == "":
		return cmp.Compare(a, b)
	case na == "":
		return 1
	case nb == "":
		return -1
	}
	return cmp.Or(strings.Compare(na, nb), cmp.Compare(a, b))
}

// statuses returns the deal statuses the status filter keeps; nil keeps all.
func (p *dealPicker) statuses() []invoicing.DealStatus {
	switch p.status.SelectedIndex() {
	case statusOpenWon:
		return []invoicing.DealStatus{invoicing.DealOpen, invoicing.DealWon}
	case statusOpen:
		return []invoicing.DealStatus{invoicing.DealOpen}
	case statusWon:
		return []invoicing.DealStatus{invoicing.DealWon}
	case statusLost:
		return []invoicing.DealStatus{invoicing.DealLost}
	}
	return nil
}

// ownerID returns the owner the owner filter keeps; 0 keeps all.
func (p *dealPicker) ownerID() int64 {
	if i := p.owner.SelectedIndex(); i > 0 && i <= len(p.owners) {
		return p.owners[i-1]
	}
	return 0
}

// filter shows the cached deals that match the search and filters, at once, and asks Pipedrive after a pause
// in typing when none match.
func (p *dealPicker) filter() {
	text := strings.ToLower(strings.TrimSpace(p.search.Text))
	statuses, owner := p.statuses(), p.ownerID()
	p.shown = p.shown[:0]
	for i, d := range p.all {
		if (statuses == nil || slices.Contains(statuses, d.Status)) &&
			(owner == 0 || d.OwnerID == owner) &&
			strings.Contains(p.keys[i], text) {
			p.shown = append(p.shown, d)
		}
	}
	p.list.UnselectAll()
	p.list.Refresh()

	p.searchSeq++
	if p.stopSearch != nil {
		p.stopSearch()
		p.stopSearch = nil
	}
	switch {
	case len(p.shown) > 0 || (len(p.all) == 0 && text == ""):
		p.info.Hide()
	case utf8.RuneCountInString(text) < 2:
		p.showInfo(lang.X("deals.no_match", "No deals match."))
	default:
		seq := p.searchSeq
		p.showInfo(lang.X("deals.searching", "No deals here match; searching Pipedrive…"))
		p.stopSearch = p.after(searchDelay, func() { fyne.Do(func() { p.searchRemote(seq) }) })
	}
}

func (p *dealPicker) onSearchChanged(string) { p.filter() }

// searchRemote asks Pipedrive for deals matching the search, unless the rep has typed on since.
func (p *dealPicker) searchRemote(seq int) {
	if seq != p.searchSeq {
		return
	}
	q := invoicing.DealQuery{Text: strings.TrimSpace(p.search.Text), Statuses: p.statuses(), OwnerID: p.ownerID()}
	search := func(ctx context.Context) (invoicing.DealSearch, error) { return p.m.deps.Invoicing.SearchDeals(ctx, q) }
	call(p.m.bg, networkCall, search, func(found invoicing.DealSearch, err error) {
		if seq != p.searchSeq {
			return
		}
		switch {
		case err != nil:
			p.m.deps.Log.Error("search Pipedrive deals", "err", err)
			p.showInfo(explain(err))
		case len(found.Deals) == 0:
			p.showInfo(lang.X("deals.no_match_anywhere", "No deals match, here or in Pipedrive."))
		default:
			p.info.Hide()
		}
		p.shown = found.Deals
		p.list.Refresh()
	})
}

// onRefresh fetches the deals changed in Pipedrive since the last time into the cache, then lists the cache.
func (p *dealPicker) onRefresh() {
	if p.stopRefresh != nil { // the button reads Cancel while deals are being fetched
		p.stopRefresh()
		return
	}
	p.fetch(p.m.deps.Invoicing.RefreshDeals)
}

// fetch runs get (a refresh or a full reload) into the cache, then lists the cache; Get new deals reads
// Cancel meanwhile.
func (p *dealPicker) fetch(get func(context.Context) (int, error)) {
	ctx, cancel := p.m.bg.scope()
	p.stopRefresh = cancel
	p.refresh.SetText(lang.X("action.cancel", "Cancel"))
	p.refresh.SetIcon(theme.CancelIcon())
	p.showInfo(lang.X("deals.refreshing", "Getting new deals from Pipedrive…"))
	if len(p.names) == 0 {
		p.loadOwners()
	}
	if p.reload != nil {
		p.reload.Disable()
	}
	started, svc := p.m.now(), p.m.deps.Invoicing
	callIn(p.m.bg, ctx, networkCall, get, func(_ int, err error) {
		if err == nil {
			p.m.listedDeals(svc, started)
		}
		// The cache is read even after a cancel: the pages already fetched are in it.
		call(p.m.bg, localCall, p.cached, func(list invoicing.DealList, lerr error) {
			p.refreshed(list, errors.Join(err, lerr), lerr == nil)
		})
	})
}

// refreshed shows the cache after getting new deals, and why it is not up to date when it is not; read says
// whether the cache could be read.
func (p *dealPicker) refreshed(list invoicing.DealList, err error, read bool) {
	p.stopRefresh()
	p.stopRefresh = nil
	p.refresh.SetText(lang.X("deals.refresh", "Get new deals"))
	p.refresh.SetIcon(theme.ViewRefreshIcon())
	if p.reload != nil {
		p.reload.Enable()
	}
	if read {
		p.setDeals(list.Deals)
	}
	switch {
	case errors.Is(err, context.Canceled):
		p.info.Hide()
	case errors.Is(err, invoicing.ErrOffline) && list.SyncedAt.IsZero():
		p.showInfo(lang.X("deals.offline.never", "Offline — no deals have been read from Pipedrive yet."))
	case errors.Is(err, invoicing.ErrOffline):
		p.showInfo(lang.X("deals.offline", "Offline — showing deals from {{.Time}}.", map[string]any{"Time": timeText(list.SyncedAt)}))
	case err != nil:
		p.m.deps.Log.Error("refresh deals", "err", err)
		p.showInfo(explain(err))
	}
}

func (p *dealPicker) showInfo(text string) {
	p.info.SetText(text)
	p.info.Show()
}

// onSearchSubmitted opens the first deal listed when the rep presses Enter in the search.
func (p *dealPicker) onSearchSubmitted(string) {
	if len(p.shown) > 0 {
		p.list.Select(0)
	}
}

// intoList moves the focus from the search to the deals found, the first one highlighted, as Down does from a
// search box of a desktop app; Enter then opens it.
func (p *dealPicker) intoList() {
	if len(p.shown) == 0 {
		return
	}
	p.list.Highlight(0)
	if c := fyne.CurrentApp().Driver().CanvasForObject(p.view); c != nil {
		c.Focus(p.view)
	}
}

// dealList is the deal list with the keys of a desktop list: the arrows move the highlight, Enter (or Space)
// opens the deal, Up from the first deal goes back to the search, Esc and the window's shortcuts work while it
// has the focus.
type dealList struct {
	widget.List
	keys        keyOwner
	highlighted widget.ListItemID
	search      fyne.Focusable // where Up from the first deal goes
}

func (l *dealList) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if l.Length != nil && l.highlighted >= 0 && l.highlighted < l.Length() {
			l.Select(l.highlighted)
		}
	case fyne.KeyUp:
		if c := fyne.CurrentApp().Driver().CanvasForObject(l); l.highlighted <= 0 && l.search != nil && c != nil {
			c.Focus(l.search)
			return
		}
		l.List.TypedKey(ev)
	case fyne.KeyEscape:
		l.keys.onEscape()
	default:
		l.List.TypedKey(ev)
	}
}

// TypedShortcut runs the window's shortcuts while the list has the focus.
func (l *dealList) TypedShortcut(s fyne.Shortcut) { l.keys.typedShortcut(s) }

func (p *dealPicker) onSelected(id widget.ListItemID) {
	p.list.Unselect(id)
	p.onOpen(p.shown[id])
}

// dealRow is one deal in the picker: title and organization, value and status. A cut title or organization
// shows whole when the pointer rests on it.
type dealRow struct {
	widget.BaseWidget
	cellTips
	title, org, value, status *widget.Label
}

func newDealRow(t *tips) *dealRow {
	r := &dealRow{
		title:  label(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}),
		org:    label(&widget.Label{Truncation: fyne.TextTruncateEllipsis}),
		value:  label(&widget.Label{Alignment: fyne.TextAlignTrailing}),
		status: label(&widget.Label{}),
	}
	r.cellTips = newCellTips(t, r.title, r.org)
	r.ExtendBaseWidget(r)
	return r
}

func (r *dealRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.highlight, dealColumns(r.title, r.org, r.value, r.status)))
}

// dealColumns lays out a deal's cells: the title and organization share what the value and status leave,
// cut with "…"; the value is never cut. In a narrow window the status goes first (the status filter says it),
// then the organization.
func dealColumns(title, org, value, status fyne.CanvasObject) *fyne.Container {
	amount := textWidth(money(decimal.New(9999999999, -2), "EUR"), fyne.TextStyle{})
	state := float32(0)
	for _, s := range []invoicing.DealStatus{invoicing.DealOpen, invoicing.DealWon, invoicing.DealLost, invoicing.DealDeleted} {
		state = max(state, textWidth(dealStatusText(s), fyne.TextStyle{}))
	}
	return container.New(columns{weights: []float32{3, 2, 0, 0}, mins: []float32{120, 90, amount, state},
		hide: []int{3, 1}, trailing: scrollBarRoom()}, title, org, value, status)
}

func (r *dealRow) show(d invoicing.Deal) {
	r.title.SetText(d.Title)
	r.org.SetText(d.OrgName)
	r.value.SetText(money(d.Value, d.Currency))
	r.status.SetText(dealStatusText(d.Status))
}

func dealStatusText(s invoicing.DealStatus) string {
	switch s {
	case invoicing.DealOpen:
		return lang.X("deals.status.open", "Open")
	case invoicing.DealWon:
		return lang.X("deals.status.won", "Won")
	case invoicing.DealLost:
		return lang.X("deals.status.lost", "Lost")
	}
	return lang.X("deals.status.deleted", "Deleted")
}

// dealView is one deal: its invoice editor and its invoice history, with the deal's QuickBooks customer.
type dealView struct {
	content fyne.CanvasObject
	tabs    *container.AppTabs
	editor  *invoiceEditor
	history *invoiceList

	link   *widget.Label  // the QuickBooks customer the deal's organization or person is linked to
	unlink *widget.Button // forgets that link
}

// Tabs of the deal view.
const (
	dealTabEditor = iota
	dealTabHistory
)

func newDealView(m *MainWindow, d invoicing.Deal, back func()) *dealView {
	v := &dealView{}
	v.history = newInvoiceList(m, invoicing.HistoryQuery{DealID: d.ID}, false, nil)
	v.history.linksFor(d)
	v.editor = newInvoiceEditor(m, d, v.onCreated)
	v.editor.onCustomerShown = v.showLink
	v.link = widget.NewLabel("")
	v.link.Truncation = fyne.TextTruncateEllipsis
	v.unlink = widget.NewButton(lang.X("editor.unlink", "Unlink"), v.editor.onUnlink)
	settings := widget.NewButtonWithIcon(lang.X("nav.settings", "Settings"), theme.SettingsIcon(), func() { m.tabs.SelectIndex(tabSettings) })
	v.showLink()
	linkBar := container.NewBorder(nil, nil, nil, container.NewHBox(v.unlink, settings), v.link)
	v.tabs = container.NewAppTabs(
		container.NewTabItem(lang.X("deal.tab.editor", "New invoice"), v.editor.content),
		container.NewTabItem(lang.X("deal.tab.history", "Invoices of this deal"), container.NewBorder(linkBar, nil, nil, nil, v.history.content)),
	)
	title := label(&widget.Label{Text: d.Title, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis})
	backButton := widget.NewButtonWithIcon(lang.X("deal.back", "All deals"), theme.NavigateBackIcon(), back)
	top := container.NewBorder(nil, nil, withTip(m.tips, backButton, keyEscapeText), nil, withCutTip(m.tips, title))
	v.content = container.NewBorder(top, nil, nil, nil, v.tabs)
	return v
}

// showLink says which QuickBooks customer the deal uses, as the editor last learnt it.
func (v *dealView) showLink() {
	c := v.editor.draft.Customer
	if c.LinkedID == "" {
		v.link.SetText(lang.X("deal.link.none", "Not linked to a QuickBooks customer yet."))
		v.unlink.Disable()
		return
	}
	v.link.SetText(linkedText(v.editor.linkedName))
	v.unlink.Enable()
}

// onCreated shows the history with the new (or queued) invoice in it.
func (v *dealView) onCreated() {
	v.history.reload()
	v.tabs.SelectIndex(dealTabHistory)
}
