package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// settingsView is the Settings screen: connections, language, folders and About.
type settingsView struct {
	m       *MainWindow
	content fyne.CanvasObject

	pipedrive  *widget.Label
	quickbooks *widget.Label
	language   *widget.Select
	languages  []Language

	connect     *connectView
	kept        *widget.Card     // the offline copies kept at a disconnect, with Delete kept copies (kept.go)
	preferences *preferencesView // nil without a preference service
	refresh     *refreshSettingsView
}

func newSettingsView(m *MainWindow) *settingsView {
	s := &settingsView{m: m, languages: Languages()}
	s.pipedrive = widget.NewLabel("")
	s.quickbooks = widget.NewLabel("")
	s.showConnections()
	s.connect = newConnectView(m.conn, s.pipedrive, s.quickbooks)

	names := make([]string, len(s.languages))
	for i, l := range s.languages {
		names[i] = l.Name
	}
	s.language = widget.NewSelect(names, nil)
	s.language.SetSelectedIndex(s.languageIndex(m.language))
	s.language.OnChanged = s.onLanguageChanged

	folders := widget.NewForm(
		s.folderRow(lang.X("settings.folders.data", "Data"), m.deps.Folders.Data),
		s.folderRow(lang.X("settings.folders.logs", "Logs"), m.deps.Folders.Logs),
		s.folderRow(lang.X("settings.folders.cache", "Cache"), m.deps.Folders.Cache),
	)
	about := widget.NewButton(lang.X("menu.about", "About Dealbooks"), m.showAbout)
	s.refresh = newRefreshSettingsView(m)

	s.content = container.NewVScroll(container.NewVBox(
		widget.NewCard(lang.X("settings.connections", "Connections"), "", s.connect.content),
		s.keptCard(),
		s.preferencesCard(),
		widget.NewCard(lang.X("settings.refresh", "Background refresh"), "", s.refresh.content),
		widget.NewCard(lang.X("settings.language", "Language"), "", wideSelect(s.language)),
		widget.NewCard(lang.X("settings.folders", "Folders"), "", folders),
		container.NewHBox(about),
	))
	return s
}

func (s *settingsView) folderRow(name, dir string) *widget.FormItem {
	path := widget.NewLabel(dir)
	path.Selectable = true
	path.Truncation = fyne.TextTruncateEllipsis
	open := widget.NewButton(lang.X("settings.folders.open", "Open"), func() { s.m.openFolder(dir) })
	return widget.NewFormItem(name, container.NewBorder(nil, nil, nil, open, path))
}

func (s *settingsView) showConnections() {
	s.pipedrive.SetText(connectionText("Pipedrive", s.m.conn.state.Pipedrive))
	s.quickbooks.SetText(connectionText("QuickBooks", s.m.conn.state.QuickBooks))
	s.showKept()
}

func (s *settingsView) languageIndex(code string) int {
	for i, l := range s.languages {
		if l.Code == code {
			return i
		}
	}
	return 0
}

// onLanguageChanged switches the language at once and saves the choice in the background. Switching rebuilds
// the window, so changed preferences not saved yet are asked about first; Cancel keeps the language.
func (s *settingsView) onLanguageChanged(string) {
	code := s.languages[s.language.SelectedIndex()].Code
	m := s.m
	if code == m.language {
		return
	}
	if s.preferences.unsaved() {
		m.askUnsavedPreferences(func() { s.switchLanguage(code) }, func() {
			s.language.SetSelectedIndex(s.languageIndex(m.language)) // the same language again: changes nothing
		})
		return
	}
	s.switchLanguage(code)
}

// switchLanguage rebuilds the window in the language code and saves the choice in the background.
func (s *settingsView) switchLanguage(code string) {
	m := s.m
	if err := m.useLanguage(code); err != nil {
		return
	}
	m.build()
	m.bg.do(localCall, func(ctx context.Context) error {
		return m.deps.Settings.SetSetting(ctx, settingLanguage, code)
	}, func(err error) {
		if err != nil {
			m.deps.Log.Error("save language", "err", err)
			m.showDialog(dialog.NewInformation(lang.X("settings.language.unsaved.title", "Language not saved"),
				lang.X("settings.language.unsaved.body", "The language changed for now, but Dealbooks could not save the choice, so it will start in the previous language next time."),
				m.window), nil)
		}
	})
}
