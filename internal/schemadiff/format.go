package schemadiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// Formats lists the output formats Render knows.
var Formats = []string{"text", "json", "markdown", "github"}

// RenderOptions says how to render a report.
type RenderOptions struct {
	// Format is one of Formats.
	Format string
	// Old and New name the two sides in headings.
	Old, New string
	// NewDir is NEW's schema directory as the workflow sees it, for
	// pointing GitHub annotations at files; "" to name no file.
	NewDir string
	// Brief leaves the witnesses out of the text format.
	Brief bool
}

// Render writes the report in the given format.
func Render(w io.Writer, r *Report, o RenderOptions) error {
	switch o.Format {
	case "", "text":
		return renderText(w, r, o)
	case "json":
		return renderJSON(w, r)
	case "markdown":
		return renderMarkdown(w, r, o)
	case "github":
		return renderGitHub(w, r, o)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", o.Format, strings.Join(Formats, ", "))
}

// counts summarises the findings: "2 errors, 1 warning, 3 info".
func counts(r *Report) string {
	n := map[Severity]int{}
	ignored := 0
	for _, f := range r.Changes {
		if f.Ignored != "" {
			ignored++
			continue
		}
		n[f.Severity]++
	}
	plural := func(k int, one, many string) string {
		if k == 1 {
			return fmt.Sprintf("%d %s", k, one)
		}
		return fmt.Sprintf("%d %s", k, many)
	}
	s := plural(n[Error], "error", "errors") + ", " + plural(n[Warning], "warning", "warnings") + ", " + fmt.Sprintf("%d info", n[Info])
	if ignored > 0 {
		s += fmt.Sprintf(", %d ignored", ignored)
	}
	return s
}

func compactJSON(b []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return string(b)
	}
	return buf.String()
}

func renderText(w io.Writer, r *Report, o RenderOptions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s → %s: %s\n", o.Old, o.New, counts(r))
	for _, f := range r.Changes {
		state := string(f.Severity)
		if f.Undecided {
			state += "?"
		}
		axis := string(f.Axis)
		if axis == "" {
			axis = "-"
		}
		fmt.Fprintf(&b, "%-8s %-8s %s %s: %s", state, axis, f.Rule, f.Pointer, f.Message)
		if f.Ignored != "" {
			fmt.Fprintf(&b, " [ignored: %s]", f.Ignored)
		}
		b.WriteByte('\n')
		if f.Witness != nil && !o.Brief {
			fmt.Fprintf(&b, "         witness: %s\n", compactJSON(f.Witness))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func renderJSON(w io.Writer, r *Report) error {
	out := *r
	if out.Changes == nil {
		out.Changes = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// summary says in words what changed for a consumer, one sentence a
// notable finding: events added and removed, enum values gained and lost.
func summary(r *Report) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	// Events first: they are the headline.
	changes := append([]Finding{}, r.Changes...)
	sort.SliceStable(changes, func(i, j int) bool {
		rank := func(f Finding) bool { return f.Rule == EventAdded || f.Rule == EventRemoved }
		return rank(changes[i]) && !rank(changes[j])
	})
	for _, f := range changes {
		event, ptr, _ := strings.Cut(f.Pointer, "#")
		field := path.Base(ptr)
		switch f.Rule {
		case EventAdded:
			add(fmt.Sprintf("KrosAI added `%s` (delivered as `UnknownEvent` until regenerated)", event))
		case EventRemoved:
			add(fmt.Sprintf("`%s` was removed", event))
		case EnumValueAdded:
			v := enumValue(f.Message)
			if f.Severity == Info {
				add(fmt.Sprintf("`%s` gained `%s` (open enum: safe)", field, v))
			} else if f.Axis == Forward {
				add(fmt.Sprintf("`%s` gained `%s` (closed enum: deployed bindings answer 400)", field, v))
			}
		case EnumValueRemoved:
			if f.Axis == Backward || f.Severity == Info {
				add(fmt.Sprintf("`%s` lost `%s`", field, enumValue(f.Message)))
			}
		case RequiredRemoved:
			if f.Axis == Forward {
				add(fmt.Sprintf("`%s` in `%s` became optional (deployed bindings reject payloads without it)", field, event))
			}
		case RequiredAdded:
			if f.Axis == Backward {
				add(fmt.Sprintf("`%s` in `%s` became required", field, event))
			}
		case GoIdentifierRemoved:
			if !strings.Contains(f.Pointer, ".") {
				add(fmt.Sprintf("Go `%s` is no longer generated", strings.TrimPrefix(f.Pointer, "go:")))
			}
		}
	}
	return out
}

// enumValue reads the value out of an enum rule's message ("enum gained
// \"x\" (...)").
func enumValue(msg string) string {
	for _, p := range []string{"enum gained ", "enum lost "} {
		if rest, ok := strings.CutPrefix(msg, p); ok {
			v, _, _ := strings.Cut(rest, " (")
			var s string
			if json.Unmarshal([]byte(v), &s) == nil {
				return s
			}
			return v
		}
	}
	return msg
}

var severityMark = map[Severity]string{Error: "❌ error", Warning: "⚠️ warning", Info: "ℹ️ info"}

func renderMarkdown(w io.Writer, r *Report, o RenderOptions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Schema changes: `%s` → `%s`\n\n", o.Old, o.New)
	if len(r.Changes) == 0 {
		b.WriteString("No change for consumers.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "%s.\n\n", strings.ToUpper(counts(r)[:1])+counts(r)[1:])
	if s := summary(r); len(s) > 0 {
		b.WriteString(strings.Join(s, "; ") + ".\n\n")
	}
	b.WriteString("| Severity | Axis | Rule | Where | What |\n|---|---|---|---|---|\n")
	cell := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }
	for _, f := range r.Changes {
		sev := severityMark[f.Severity]
		if f.Undecided {
			sev += " (undecided)"
		}
		msg := cell(f.Message)
		if f.Ignored != "" {
			msg = "~~" + msg + "~~ ignored: " + cell(f.Ignored)
		}
		fmt.Fprintf(&b, "| %s | %s | `%s` | `%s` | %s |\n", sev, f.Axis, f.Rule, cell(f.Pointer), msg)
	}
	var witnessed []Finding
	for _, f := range r.Changes {
		if f.Witness != nil {
			witnessed = append(witnessed, f)
		}
	}
	if len(witnessed) > 0 {
		b.WriteString("\n<details><summary>Witness payloads (accepted by one side, rejected by the other)</summary>\n\n")
		for _, f := range witnessed {
			side := "NEW accepts, OLD rejects"
			if f.Axis == Backward {
				side = "OLD accepts, NEW rejects"
			}
			fmt.Fprintf(&b, "`%s` %s at `%s` (%s):\n\n```json\n%s\n```\n\n", f.Rule, f.Axis, f.Pointer, side, compactJSON(f.Witness))
		}
		b.WriteString("</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var annotationLevel = map[Severity]string{Error: "error", Warning: "warning", Info: "notice"}

// escapeData and escapeProperty follow the workflow-command escaping.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func renderGitHub(w io.Writer, r *Report, o RenderOptions) error {
	var b strings.Builder
	for _, f := range r.Changes {
		if f.Ignored != "" {
			continue
		}
		props := []string{}
		if file := annotationFile(f, o.NewDir); file != "" {
			props = append(props, "file="+escapeProperty(file))
		}
		title := string(f.Rule)
		if f.Axis != "" {
			title += " (" + string(f.Axis) + ")"
		}
		props = append(props, "title="+escapeProperty(title))
		msg := f.Pointer + ": " + f.Message
		if f.Witness != nil {
			msg += "\nwitness: " + compactJSON(f.Witness)
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", annotationLevel[f.Severity], strings.Join(props, ","), escapeData(msg))
	}
	fmt.Fprintf(&b, "%s → %s: %s\n", o.Old, o.New, counts(r))
	_, err := io.WriteString(w, b.String())
	return err
}

// annotationFile is the schema file a finding is about, in NEW's
// directory: the event's file, or the envelope's.
func annotationFile(f Finding, dir string) string {
	if dir == "" {
		return ""
	}
	scope, _, ok := strings.Cut(f.Pointer, "#")
	switch {
	case !ok:
		return ""
	case scope == "envelope":
		return path.Join(dir, "envelope.json")
	case f.Rule == EventRemoved:
		return ""
	}
	return path.Join(dir, "events", scope+".json")
}
