"""The marker table the page-dump importer reads: every site-chrome word in one place.

Patterns are regular expressions written for the *lower-cased, whitespace-collapsed* line.
Nothing here names a site or an article; the entries are the vocabulary web pages share
(menus, share buttons, comment prompts, footers, cookie and newsletter notices).
Keep the patterns simple (no nested quantifiers) so matching stays linear.
"""

from __future__ import annotations

# A whole line that is chrome and is dropped wherever it appears (also inside a body).
CHROME_LINES: tuple[str, ...] = (
    r"published",
    r"on",
    r"by",
    r"updated",
    r"posted",
    r"share",
    r"shares?:?",
    r"share (this|on|via|the|article|story)\b.*",
    r"(tweet|pin|pin it|email|print|save|like|follow|reply|report|flag|copy link|copied)",
    r"(facebook|twitter|linkedin|whatsapp|reddit|pinterest|telegram|flipboard|messenger)",
    r"(share|post|tweet) (on|to) \w+",
    r"advertisement|advertisements|advert|ad|ads|sponsored|sponsored content|promoted",
    r"(story|article) continues (below|after)( (the )?(advertisement|ad))?",
    r"continue reading( (the )?(main )?(story|article))?( below)?",
    r"scroll (down )?to (continue|read)\b.*",
    r"(read|view|see|show|load) (more|less|all|the full (story|article))",
    r"read (the )?(full|whole|complete|original) (story|article|post)",
    r"(click|tap) (here|to)\b.{0,40}",
    r"(close|open|menu|search|skip|toggle|next|previous|prev|back|top|more|less|expand)",
    r"(skip|jump) to (main )?(content|navigation|search)",
    r"back to (top|gallery|home)",
    r"(toggle|main|open|close) (navigation|menu|search)",
    r"(image|photo|picture|slide) \d+ (of|/) ?\d*",
    r"\d+ ?/ ?\d+",
    r"(photo|image|picture|credit|source|caption)s?",
    r"(photo|image|picture|video|credit|getty images|file photo)s?:? [^.!?]{0,40}",
    r"(sign|log) ?(in|up|out)( / (sign|log) ?(in|up))?",
    r"subscribe( now| today| here)?",
    r"(view|show|hide|post|add|leave|load) (\d+ )?comments?",
    r"\d+ (comments?|replies|shares|likes|views|reactions)",
    r"(loading|please wait|listen|watch|play|pause|mute|unmute|fullscreen)\b.{0,20}",
    r"(listen to|watch) (this|the) (story|article|video)\b.*",
    r"\d+ (min|mins|minute|minutes) (read|listen)",
    r"(tags?|topics?|categories|category|filed under|labels?):?( .*)?",
    r"(related|read more|more|also read|see also|read also|recommended|watch)\s?:.*",
    r"trending:?",
    r"(print|email|save|share) (this )?(article|story|page)",
    r"(font size|text size|a\+|a-|aa)",
    r"(home|news|world|video|videos|sports?|business|opinion|politics)",
    r"[\W_\d]*",
)

# Found anywhere in a line of any length: the line is boilerplate, not article text.
BOILER_PHRASES: tuple[str, ...] = (
    r"all rights reserved",
    r"copyright ©",
    r"© ?(copyright )?\d{4}",
    r"\(c\) \d{4}",
    r"we use cookies",
    r"uses cookies",
    r"cookie (policy|settings|preferences|notice)",
    r"by (continuing to use|using) (this|our) (site|website)",
    r"privacy (policy|notice|statement)",
    r"terms (of|and) (use|service|conditions)",
    r"sign up for (our|the)\b",
    r"subscribe to (our|the)\b",
    r"(our|the|free|daily|weekly) newsletters?\b",
    r"in your inbox",
    r"enter your e-?mail",
    r"e-?mail address",
    r"you (must|need to) be logged in",
    r"(leave|post) a (reply|comment)",
    r"your email address will not be published",
    r"comments are (closed|moderated)",
    r"this (article|story|post) (was|has been) (updated|corrected)\b",
    r"follow us on\b",
    r"download (our|the) app",
    r"javascript",
    r"your browser",
    r"ad blocker",
    r"already a subscriber",
    r"(start|free) (your )?trial",
    r"unlimited (digital )?access",
    r"the views expressed\b",
    r"registered trademark",
    r"\bclick(ing)? here\b",
    r"affiliate (commission|links?)",
    r"external links?\b.*\bnew (window|tab)",
    r"^you are here\b",
    r"you are (now )?(signed|logged) in",
    r"(supported by (its|our) (audience|readers))",
    r"\((image|photo|picture|credit|foto|imagem|imagen)s?: [^)]{1,60}\)\s*\Z",
    r"\b(getty images|ap photo|afp photo|reuters photo|shutterstock)\b",
)

# A whole line after which only comments follow: the article always ends here.
TERMINAL_MARKERS: tuple[str, ...] = (
    r"(\d+ )?comments?( \(?\d+\)?)?:?",
    r"(top|best|newest|latest|all|view|show|read|load|see|hide|previous|older|newer) (\d+ )?"
    r"(rated )?comments?",
    r"\d+ (comments?|responses?|replies)\W+.{0,40}",
    r"(\d+ )?(responses?|thoughts?|replies|comments?) (to|on) .*",
    r"(leave|post|add|write|submit) a (reply|comment|response)",
    r"join the (discussion|conversation)",
    r"(discussion|conversation)",
    r"comments? (are|is) (closed|disabled)",
    r"(readers?'?|your|user) (views?|comments?|responses?|reactions?)( \(?\d+\)?)?:?",
    r"(add|have|share|post|leave) your (view|comment|say|opinion|thoughts?)( .{0,30})?",
    r"\d+ (users?|people|readers?) (responded|commented|replied)( .*)?",
    r"(no|one|two|three|four|five) (comments?|responses?|replies)",
    r"[\w ]{0,20}\(\d+ (comments?|responses?|replies)\)?",
    r"you can follow any responses to this (entry|post) .*",
    r"(odpowiedzi|ответов|ответы|απαντήσεις|odgovora|antworten):? \d+ (to|na|на|σε|na|auf) .*",
    # The same in other languages pages are often written in.
    r"(\d+ )?(comentários?|comentarios?|commenti|commentaires?|kommentare?|komentar|reacties)",
    r"(deixe|deja|lascia|laissez|hinterlasse|tinggalkan) (uma?|un|una|einen?|sebuah)? ?"
    r"(resposta|respuesta|commento|comentario|comentário|commentaire|kommentar|balasan)",
    r"(nessun|sem|sin|aucun|keine) (commento|comentários?|comentarios?|commentaire|kommentare)",
    r"(\d+ )?(комментари[йиея]?|komentarz[ey]?|σχόλια)( \(?\d+\)?)?:?",
    r"(текст|ваш|добавить|оставить|написать) (комментари[йяю]|отзыв)",
    r"(dodaj|napisz|skomentuj|twój) (komentarz|opinię)",
    r"(γράψτε|προσθέστε|αφήστε) (ένα )?σχόλιο",
)

# Found in a line: the page footer has begun (copyright notices).
FOOTER_PHRASES: tuple[str, ...] = (
    r"all rights reserved",
    r"copyright ©",
    r"© ?(copyright )?(19|20)\d\d",
    r"(\(c\)|copyright) (19|20)\d\d",
)

# A whole line that usually ends the article (related links, teasers, newsletter boxes).
# Inside a long article such a box can sit between paragraphs, so the body continues when
# dense prose resumes right after it.
END_MARKERS: tuple[str, ...] = (
    r"related( (articles?|stories|posts|content|news|coverage|links|reading|topics|videos?))?:?",
    r"related \w+( \w+)?:( .{0,40})?",
    r"(more|latest|top|other|recent|popular|trending|recommended|featured|similar) "
    r"(stories|articles|news|posts|reads|videos|headlines|from .*|in .*|on .*|like this)",
    r"(you|we think you) (may|might|could|will) (also )?(like|enjoy|be interested in)\b.*",
    r"(also|further) (read|reading|on \w+)",
    r"(recommended|suggested)( for you| reading| stories| articles)?",
    r"(most|more) (popular|read|viewed|shared|emailed|commented|watched)( .*)?",
    r"(trending|latest|popular|featured|around the web|from the web|elsewhere)"
    r"( now| news| stories)?",
    r"what to read next|read next|up next|next (story|article|up)",
    r"(share|like|enjoy(ed)?) this (article|story|post)\??:?",
    r"(about|more (from|by)) the (author|writer)",
    r"(sign up|subscribe) (for|to) .*",
    r"newsletters?",
    r"footer|site map|sitemap",
    r"(tags?|topics?|filed under|categories):?",
    r"don'?t miss:?",
    r"(about|sobre|à propos de|über|tentang) [\w.’'-]+ [\w.’'-]+( [\w.’'-]+)?",
    r"(artigos|artículos|articoli|articles|artikel|berita) "
    r"(relacionados|correlati|similaires|liés|verwandte|ähnliche|terkait)",
    r"(leia|lea|leggi|lire|lesen sie|baca) (também|tambien|también|anche|aussi|auch|juga)",
    r"(sobre|acerca del?|a proposito di|à propos de|über|tentang) (o|a|el|la|l'|den|die)? ?"
    r"(autor|autora|autore|auteur|penulis)",
    r"(veja|ver|vedi|voir|siehe) (também|tambien|también|anche|aussi|auch)",
    # Polish, Russian, Greek, Croatian and Chinese, the collections' other languages
    r"(zobacz|czytaj|przeczytaj) (także|też|również|więcej)( .{0,40})?",
    r"(podobne|powiązane|najnowsze|polecane) (artykuły|wiadomości|tematy)( .{0,40})?",
    r"(читайте|смотрите|см\.) (также|ещё|еще)( .{0,40})?",
    r"(похожие|другие|последние|популярные|главные) (новости|статьи|материалы)( .{0,40})?",
    r"(δείτε|διαβάστε) (επίσης|ακόμη|ακόμα)( .{0,40})?",
    r"(σχετικά|περισσότερα|δημοφιλή) (άρθρα|νέα|θέματα)( .{0,40})?",
    r"(pročitajte|vezane|povezane|najnovije) (još|i|vijesti|članke|teme)( .{0,40})?",
    r"(相关|延伸|推荐|热门|更多|相關|延伸|推薦|熱門)(阅读|新闻|文章|链接|报道|資訊|资讯|閱讀|新聞|報導|連結)[：:]?",
)

# Separators that close one article of a section page ("Continue Reading").
ARTICLE_SEPARATORS: tuple[str, ...] = (
    r"continue reading( (the )?(main )?(story|article))?",
    r"read (the )?(full|whole|rest of the|complete) (story|article|post)",
    r"read more( »| →|\.\.\.)?",
    r"keep reading",
)

# Headings that open a teaser list (its entries become excerpts, never articles).
TEASER_HEADINGS: tuple[str, ...] = (
    r"latest( news| stories| posts| articles)?",
    r"trending( now| news| stories)?",
    r"(most|more) (popular|read|viewed|shared|emailed|commented)( .*)?",
    r"popular( now| posts| stories)?",
    r"recent (posts|stories|news|articles)",
    r"related( articles| stories| posts| news)?",
    r"(top|editor'?s'?|featured) (stories|picks|news|headlines)",
    r"(you may|you might) (also )?like",
    r"recommended( for you)?",
    r"more (stories|news|articles|from .*)",
    r"publications",
)

# Short lines that are never a section name, even right above a headline.
NOT_SECTIONS: tuple[str, ...] = (
    r"(sign|log) ?(in|up|out)|subscribe.*|menu|search|share|close|skip.*|home|more|"
    r"advertisement|ad|sponsored|newsletters?|contact( us)?|about( us)?|login|register|"
    r"back|next|previous|top|print|email|e-mail|comments?|reply|follow( us)?|video|live",
)

# Lines of an article header between its title and its body, on section pages.
HEADER_LINES: tuple[str, ...] = (
    r"(published|posted|updated|written|filed|last updated)( on| by| at)?:?",
    r"on|by|at|in",
)

# Metadata lines in an article's header (never body text).
# A header line opening with these is publication metadata, not a headline.
META_OPENERS = (
    r"(published|posted|updated|last updated|modified|created|written|filed|"
    r"publicado|publicada|pubblicato|publié|veröffentlicht|diposting|diterbitkan)\b"
)
BYLINE = r"(?:by|written by|words by|story by|text by|reported by|author:?)\s+(?P<name>.+)"
INLINE_BYLINE = (
    r"\b(?:[Bb]y|[Pp]or|[Dd]i|[Pp]ar|[Vv]on|[Oo]leh)\s+"
    r"(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|da|van|von|der|del|di|le|la)){0,4})"
)
AUTHOR_BIO = (
    r"(?P<name>[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){1,3})(?:,[^,]{2,40}){0,3},? "
    r"(?:is|was|has been|writes|covers|reports)\b"
)
# A closing paragraph is an author bio when it opens with a name and one of these words.
BIO_WORDS = (
    r"\b(author|writer|journalist|reporter|correspondent|editor|columnist|contributor|"
    r"professor|lecturer|researcher|fellow|director|founder|blogger|freelance|analyst|"
    r"ph\.?d|covers|writes)\b"
)
AGE = (
    r"(?P<age>(?:\d+|an?|one) ?(?:sec|second|min|minute|hr|hour|day|week|month|year)s? ago"
    r"|just now|yesterday|today)"
)
READ_TIME = r"\d+ ?(?:min|mins|minutes?) (?:read|listen)"
MONTHS: dict[str, int] = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
    # Month names of other languages common on the web (pt, es, it, fr, de, id, nl).
    "janeiro": 1,
    "enero": 1,
    "gennaio": 1,
    "janvier": 1,
    "januar": 1,
    "januari": 1,
    "fevereiro": 2,
    "febrero": 2,
    "febbraio": 2,
    "février": 2,
    "februar": 2,
    "februari": 2,
    "março": 3,
    "marzo": 3,
    "mars": 3,
    "märz": 3,
    "maret": 3,
    "maart": 3,
    "abril": 4,
    "aprile": 4,
    "avril": 4,
    "maio": 5,
    "mayo": 5,
    "maggio": 5,
    "mai": 5,
    "mei": 5,
    "junho": 6,
    "junio": 6,
    "giugno": 6,
    "juin": 6,
    "juni": 6,
    "julho": 7,
    "julio": 7,
    "luglio": 7,
    "juillet": 7,
    "juli": 7,
    "agosto": 8,
    "août": 8,
    "agustus": 8,
    "augustus": 8,
    "setembro": 9,
    "septiembre": 9,
    "settembre": 9,
    "septembre": 9,
    "outubro": 10,
    "octubre": 10,
    "ottobre": 10,
    "octobre": 10,
    "oktober": 10,
    "novembro": 11,
    "noviembre": 11,
    "novembre": 11,
    "dezembro": 12,
    "diciembre": 12,
    "dicembre": 12,
    "décembre": 12,
    "dezember": 12,
    "desember": 12,
}
