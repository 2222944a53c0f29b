package generator

import (
	"regexp/syntax"

	"github.com/krosgen/krosgen/generator/model"
)

// simplePattern turns an anchored pattern made of ASCII character classes and
// literals with repeat counts (^evt_[A-Za-z0-9_]+$, ^\+[1-9][0-9]{1,14}$) into
// pieces that generated loops check without regexp. It returns nil for any
// other pattern, which then uses a regexp compiled once.
//
// The loops match greedily and never backtrack. That equals the regexp
// exactly when every piece of variable length stops where any match must
// stop it: no byte of its class can begin what follows it. What follows a
// piece begins with a byte of the next piece, or of the one after it when
// the next may match nothing, and so on up to the first piece that must
// match a byte (or the end of the string). So a variable piece's class must
// be disjoint from all of those; then in any match each piece takes exactly
// the bytes the greedy loop takes. TestSimplePatternEqualsRegexp checks
// this exhaustively.
func simplePattern(src string) []model.Piece {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 {
		return nil
	}
	subs := re.Sub
	if subs[0].Op != syntax.OpBeginText || subs[len(subs)-1].Op != syntax.OpEndText {
		return nil
	}
	var pieces []model.Piece
	for _, s := range subs[1 : len(subs)-1] {
		ps, ok := pieceOf(s)
		if !ok {
			return nil
		}
		pieces = append(pieces, ps...)
	}
	for i, p := range pieces {
		if p.Min == p.Max {
			continue
		}
		for _, next := range pieces[i+1:] {
			if next.Max != 0 && overlaps(p, next) {
				return nil
			}
			if next.Min > 0 {
				break
			}
		}
	}
	if len(pieces) == 0 {
		return nil
	}
	return pieces
}

func pieceOf(re *syntax.Regexp) ([]model.Piece, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		var ps []model.Piece
		for _, r := range re.Rune {
			if r >= 0x80 {
				return nil, false
			}
			ps = append(ps, model.Piece{Ranges: []model.ByteRange{{Lo: byte(r), Hi: byte(r)}}, Min: 1, Max: 1})
		}
		return ps, true
	case syntax.OpCharClass:
		rs, ok := asciiRanges(re.Rune)
		return []model.Piece{{Ranges: rs, Min: 1, Max: 1}}, ok
	case syntax.OpPlus, syntax.OpStar, syntax.OpQuest, syntax.OpRepeat:
		if re.Flags&syntax.NonGreedy != 0 || len(re.Sub) != 1 {
			return nil, false
		}
		inner, ok := pieceOf(re.Sub[0])
		if !ok || len(inner) != 1 || inner[0].Min != 1 || inner[0].Max != 1 {
			return nil, false
		}
		p := inner[0]
		switch re.Op {
		case syntax.OpPlus:
			p.Min, p.Max = 1, -1
		case syntax.OpStar:
			p.Min, p.Max = 0, -1
		case syntax.OpQuest:
			p.Min, p.Max = 0, 1
		default:
			p.Min, p.Max = re.Min, re.Max
		}
		return []model.Piece{p}, true
	}
	return nil, false
}

// asciiRanges accepts a class only when it is all ASCII: a class that admits
// any non-ASCII rune would need rune decoding to count characters.
func asciiRanges(runes []rune) ([]model.ByteRange, bool) {
	var rs []model.ByteRange
	for i := 0; i+1 < len(runes); i += 2 {
		if runes[i+1] >= 0x80 {
			return nil, false
		}
		rs = append(rs, model.ByteRange{Lo: byte(runes[i]), Hi: byte(runes[i+1])})
	}
	return rs, len(rs) > 0
}

func overlaps(a, b model.Piece) bool {
	for _, x := range a.Ranges {
		for _, y := range b.Ranges {
			if x.Lo <= y.Hi && y.Lo <= x.Hi {
				return true
			}
		}
	}
	return false
}
