package schemadiff

import (
	"encoding/json"
	"fmt"
	"slices"
)

// differ holds the two sides of a diff.
type differ struct {
	old, new *Side
}

// Diff compares two schema sets on the given axes (every axis when none is
// given) and returns the findings, sorted by axis and pointer. It fails only
// when a side's Go cannot be generated, which the source axis needs.
func Diff(old, new *Side, axes ...Axis) (*Report, error) {
	if len(axes) == 0 {
		axes = Axes
	}
	d := &differ{old: old, new: new}
	var out []Finding
	if slices.Contains(axes, Forward) || slices.Contains(axes, Backward) {
		out = append(out, d.events()...)
		for _, ch := range d.changes() {
			out = append(out, d.decide(ch)...)
		}
	}
	if slices.Contains(axes, Source) {
		src, err := sourceFindings(old, new)
		if err != nil {
			return nil, err
		}
		out = append(out, src...)
	}
	sortFindings(out)
	r := &Report{Changes: out}
	r.Filter(axes)
	return r, nil
}

// events reports the event types that appear or disappear, each with its
// documented example as witness (the webhook schemas decide: an event type
// a side does not list is invalid there, and its bindings deliver it as
// UnknownEvent).
func (d *differ) events() []Finding {
	var out []Finding
	for _, t := range d.new.types() {
		if _, ok := d.old.events[t]; ok {
			continue
		}
		f := Finding{Rule: EventAdded, Axis: Forward, Severity: Info, Pointer: pointerString(t, nil),
			Message: "event " + t + " added: bindings generated from OLD deliver it as UnknownEvent until regenerated"}
		f.Witness = d.eventWitness(t, d.new, d.old)
		out = append(out, f)
	}
	for _, t := range d.old.types() {
		if _, ok := d.new.events[t]; ok {
			continue
		}
		f := Finding{Rule: EventRemoved, Axis: Backward, Severity: Warning, Pointer: pointerString(t, nil),
			Message: "event " + t + " removed: bindings regenerated from NEW deliver replays of it as UnknownEvent"}
		if f.Witness = d.eventWitness(t, d.old, d.new); f.Witness == nil {
			f.Undecided = true
		}
		out = append(out, f)
	}
	return out
}

// eventWitness is a payload of event t that from accepts and to rejects.
func (d *differ) eventWitness(t string, from, to *Side) json.RawMessage {
	cands := from.examples(t)
	cands = append(cands, sample(from.events[t], 0))
	for _, ex := range cands {
		b, err := json.Marshal(ex)
		if err == nil && from.accepts("", b) && !to.accepts("", b) {
			return b
		}
	}
	return nil
}

// changes compares every event both sides have, and folds the changes the
// envelope made to all of them into one.
func (d *differ) changes() []*change {
	var perEvent [][]*change
	var common []string
	for _, t := range d.old.types() {
		n, ok := d.new.events[t]
		if !ok {
			continue
		}
		c := &comparer{event: t}
		c.compare(nil, d.old.events[t], n)
		perEvent = append(perEvent, c.changes)
		common = append(common, t)
	}
	if len(common) < 2 || d.old.envelope.key() == d.new.envelope.key() && sameDocs(d.old.envelope, d.new.envelope) {
		return flatten(perEvent)
	}
	// A change every event shows at the same pointer with the same message
	// comes from the envelope.
	count := map[string]int{}
	for _, chs := range perEvent {
		seen := map[string]bool{}
		for _, ch := range chs {
			k := ch.identity()
			if !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	var out []*change
	emitted := map[string]bool{}
	for _, chs := range perEvent {
		for _, ch := range chs {
			k := ch.identity()
			if count[k] != len(common) {
				out = append(out, ch)
				continue
			}
			if !emitted[k] {
				emitted[k] = true
				ch.envelope = true
				out = append(out, ch)
			}
		}
	}
	return out
}

func sameDocs(a, b *node) bool {
	c := &comparer{}
	c.docs(nil, a, b)
	return len(c.changes) == 0
}

func flatten(lists [][]*change) []*change {
	var out []*change
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// identity is what makes two events' changes the same change.
func (ch *change) identity() string {
	return fmt.Sprintf("%s\x00%q\x00%s", ch.rule, tokStrings(ch.at), ch.msg)
}

// decide searches the change's witnesses and turns it into findings.
func (d *differ) decide(ch *change) []Finding {
	rule, ptr, msg := ch.rule, pointerString(ch.event, tokStrings(ch.at)), ch.msg
	if ch.envelope {
		rule, ptr, msg = EnvelopeChanged, pointerString("envelope", tokStrings(ch.at)), fmt.Sprintf("%s (%s, in every event)", msg, ch.rule)
	}
	mk := func(axis Axis, sev Severity, witness []byte) Finding {
		return Finding{Rule: rule, Axis: axis, Severity: sev, Pointer: ptr, Message: msg, Witness: witness}
	}
	if ch.rule == DocChanged {
		return []Finding{mk(Source, Info, nil)}
	}
	fw, bw := d.witnesses(ch)
	var out []Finding
	decided := map[Axis]bool{}
	if fw != nil {
		out = append(out, mk(Forward, Error, fw))
		decided[Forward] = true
	}
	if bw != nil {
		out = append(out, mk(Backward, Warning, bw))
		decided[Backward] = true
	}
	undecided := func(axis Axis) {
		f := mk(axis, Warning, nil)
		f.Undecided = true
		f.Message += " (undecided: no payload found that one side accepts and the other rejects)"
		out = append(out, f)
	}
	for _, a := range ch.expect {
		if !decided[a] {
			undecided(a)
		}
	}
	if len(out) == 0 {
		switch ch.quiet {
		case "":
		case undecidedBoth:
			undecided(Forward)
			undecided(Backward)
		default:
			out = append(out, mk(ch.quiet, Info, nil))
		}
	}
	return out
}
