"""The demo's articles, programmes and formats, written for Partnerportal from the facts of the
agency's pages (dates, places, partnerships, programmes); none of their sentences. German and
English of the same page share a key; the English page is the German one's translation."""

import datetime as dt

#: Programmes the demo's pages are about (slug: name); the registry's demo has the first.
PROGRAMMES = {
    "fachkraeftefonds": "Fachkräftefonds für kommunale Partnerschaften weltweit",
    "nordafrika": "Kommunale Zusammenarbeit Nordafrika",
}

ARTICLES = [
    {
        "kind": "interview",
        "slug": "heilwissen-yarinacocha",
        "date": dt.date(2023, 9, 25),
        "place": "Bonn",
        "partnership": ("Köln", "Yarinacocha"),
        "countries": ["PE"],
        "programmes": ["fachkraeftefonds"],
        "themes": ["gesundheit", "sdg-3"],
        "tags": ["Fachkräfte", "Gesundheit"],
        "interviewee": "Marc Kapust",
        "de": {
            "title": "Gesundheitsversorgung in Yarinacocha: traditionelles Heilwissen einbeziehen",
            "role": "Fachkraft in Yarinacocha, Peru",
            "teaser": (
                "Köln und Yarinacocha am Río Ucayali sind seit Oktober 2017 Klimapartner. Eine "
                "Fachkraft aus dem Fachkräftefonds erzählt, wie sie vor Ort die medizinische "
                "Versorgung stärkt."
            ),
            "body": (
                "<p>Yarinacocha mit rund 100.000 Menschen liegt am Westrand des Amazonasbeckens. "
                "Im Gespräch geht es darum, wie die Stadtverwaltung und die Fachkraft "
                "Gesundheitsangebote planen, die auch das Wissen indigener Heilkundiger "
                "ernst nehmen.</p><p>Die Stelle wird über den Fachkräftefonds für kommunale "
                "Partnerschaften weltweit finanziert, den die Servicestelle gemeinsam mit der "
                "GIZ umsetzt.</p>"
            ),
        },
        "en": {
            "title": "Health care in Yarinacocha: drawing on traditional healing knowledge",
            "role": "Expert in Yarinacocha, Peru",
            "teaser": (
                "Cologne and Yarinacocha on the Río Ucayali have been climate partners since "
                "October 2017. An expert placed through the expert fund tells how she and the "
                "city strengthen health care."
            ),
            "body": (
                "<p>Yarinacocha, a city of about 100,000 people, lies on the western edge of the "
                "Amazon basin. The conversation is about planning health services with the city "
                "administration that take the knowledge of indigenous healers seriously.</p>"
                "<p>The post is funded by the expert fund for municipal partnerships worldwide, "
                "which the agency runs together with GIZ.</p>"
            ),
        },
    },
    {
        "kind": "news",
        "slug": "leipzig-kyjiw",
        "date": dt.date(2023, 11, 9),
        "place": "Bonn",
        "partnership": ("Leipzig", "Kyjiw"),
        "countries": ["UA"],
        "themes": [],
        "tags": ["Ukraine", "Partnerschaftskonferenz"],
        "de": {
            "title": "Leipzig und Kyjiw: 62 Jahre Partnerschaft",
            "teaser": (
                "Leipzig richtet im November 2023 die sechste deutsch-ukrainische kommunale "
                "Partnerschaftskonferenz aus – und blickt auf eine Partnerschaft mit Kyjiw "
                "zurück, die schon seit 62 Jahren besteht."
            ),
            "body": (
                "<p>Die Verbindung hat einen Wechsel der politischen Systeme überdauert. "
                "Getragen wird sie bis heute vor allem von Bürgerinnen und Bürgern auf beiden "
                "Seiten, die sich füreinander einsetzen.</p>"
            ),
        },
        "en": {
            "title": "Leipzig and Kyiv: a partnership of 62 years",
            "teaser": (
                "Leipzig hosts the sixth German-Ukrainian municipal partnership conference in "
                "November 2023, and looks back on a partnership with Kyiv that began 62 years "
                "ago."
            ),
            "body": (
                "<p>The link has outlasted a change of political systems. To this day it is "
                "carried above all by citizens on both sides who stand up for each other.</p>"
            ),
        },
    },
    {
        "kind": "interview",
        "slug": "hildesheim-padang",
        "date": dt.date(2023, 9, 14),
        "place": "Bonn",
        "partnership": ("Hildesheim", "Padang"),
        "countries": ["ID"],
        "themes": [],
        "tags": ["Asien", "Partnerschaftskonferenz"],
        "interviewee": "Oliver Rösner und Erwin M.",
        "de": {
            "title": "Hildesheim und Padang: was eine lange Partnerschaft trägt",
            "role": "Vertreter der Städte Hildesheim und Padang",
            "teaser": (
                "Vom 26. bis 28. September 2023 laden die Partnerstädte Hildesheim und Padang "
                "(Indonesien) zur deutsch-asiatischen kommunalen Partnerschaftskonferenz ein. "
                "Zwei Vertreter der Städte sprechen vorab über ihre Zusammenarbeit."
            ),
            "body": (
                "<p>Beide stehen seit Jahren in engem Kontakt. Sie beschreiben, warum Vertrauen "
                "die Grundlage ist und weshalb Partnerschaft auch heißt, das eigene Vorgehen "
                "immer wieder zu hinterfragen.</p>"
            ),
        },
        "en": {
            "title": "Hildesheim and Padang: what carries a long partnership",
            "role": "Representatives of Hildesheim and Padang",
            "teaser": (
                "From 26 to 28 September 2023 the partner cities Hildesheim and Padang "
                "(Indonesia) host the German-Asian municipal partnership conference. Two "
                "representatives of the cities talk about their cooperation beforehand."
            ),
            "body": (
                "<p>The two have been in close touch for years. They explain why trust is the "
                "basis, and why partnership also means questioning one's own way of working "
                "again and again.</p>"
            ),
        },
    },
    {
        "kind": "news",
        "slug": "pfinztal-kidira-klima",
        "date": dt.date(2021, 8, 5),
        "place": "Bonn/Pfinztal",
        "partnership": ("Pfinztal", "Kidira"),
        "countries": ["SN"],
        "themes": ["klimaanpassung", "sdg-13"],
        "tags": ["Klimapartnerschaft"],
        "de": {
            "title": "Pfinztal und Kidira stellen sich gemeinsam auf den Klimawandel ein",
            "teaser": (
                "Starkregen und Hochwasser im Juli 2021 haben gezeigt, wie unmittelbar der "
                "Klimawandel Kommunen trifft. Pfinztal in Baden-Württemberg und Kidira in "
                "Senegal bereiten sich in einer geförderten Klimapartnerschaft gemeinsam vor."
            ),
            "body": (
                "<p>Beide Gemeinden erleben die Folgen des Klimawandels, wenn auch "
                "unterschiedlich. In ihrer Klimapartnerschaft planen sie, wie sie sich "
                "gegenseitig bei der Anpassung unterstützen.</p>"
            ),
        },
        "en": {
            "title": "Pfinztal and Kidira prepare for climate change together",
            "teaser": (
                "Heavy rain and floods in July 2021 showed how directly climate change hits "
                "municipalities. Pfinztal in Baden-Württemberg and Kidira in Senegal prepare "
                "together in a funded climate partnership."
            ),
            "body": (
                "<p>Both municipalities feel the effects of climate change, if in different "
                "ways. In their climate partnership they plan how to support each other in "
                "adapting.</p>"
            ),
        },
    },
    {
        "kind": "interview",
        "slug": "kisslegg-rachiine-abfall",
        "date": dt.date(2021, 8, 24),
        "place": "Bonn",
        "partnership": ("Kißlegg", "Rachiine"),
        "countries": ["LB"],
        "themes": ["abfallwirtschaft"],
        "tags": ["Nahost"],
        "interviewee": "Klaus Karl",
        "de": {
            "title": "Abfallwirtschaft im Libanon: ein Projektkoordinator berichtet",
            "role": "Projektkoordinator der Initiative „Kommunales Know-how für Nahost“",
            "teaser": (
                "Anfang August 2021 reiste erstmals seit Beginn der Pandemie wieder ein "
                "Projektkoordinator der Initiative IKKN aus. Er erkundete, was ein gemeinsames "
                "Projekt von Kißlegg und Rachiine leisten könnte."
            ),
            "body": (
                "<p>Im Mittelpunkt steht eine funktionierende Abfallwirtschaft für die "
                "libanesische Gemeinde. Das Gespräch zeigt, welche Fragen vor einem möglichen "
                "Partnerschaftsprojekt zu klären sind.</p>"
            ),
        },
        "en": {
            "title": "Waste management in Lebanon: a project coordinator reports",
            "role": "Project coordinator of the initiative Municipal Know-how for the Middle East",
            "teaser": (
                "In early August 2021, for the first time since the pandemic began, the IKKN "
                "initiative sent a project coordinator abroad again. He explored what a joint "
                "project of Kißlegg and Rachiine could achieve."
            ),
            "body": (
                "<p>The focus is working waste management for the Lebanese municipality. The "
                "conversation shows which questions need answers before a partnership project "
                "can start.</p>"
            ),
        },
    },
]

PRACTICE_EXAMPLES = [
    {
        "kind": "practice",
        "slug": "sindelfingen-annaba-geodaten",
        "date": dt.date(2023, 7, 1),
        "place": "Sindelfingen",
        "partnership": ("Sindelfingen", "Annaba"),
        "countries": ["DZ"],
        "programmes": ["nordafrika"],
        "themes": ["stadtentwicklung", "e-governance", "sdg-11"],
        "tags": ["Geodaten", "Maghreb"],
        "de": {
            "title": "Geodaten für eine neue Stadt: Sindelfingen und Annaba",
            "teaser": (
                "Die viel kleinere Stadt Sindelfingen trägt mit einem Geografischen "
                "Informationssystem zum Aufbau der Neustadt Drâa Errich bei Annaba in Algerien "
                "bei, die für 240.000 Menschen geplant ist."
            ),
            "body": (
                "<p>Seit 2016 arbeiten beide Städte im Projekt „Kommunale Zusammenarbeit "
                "Maghreb-Deutschland“ zusammen, das die Servicestelle mit der GIZ im Auftrag "
                "des Bundesentwicklungsministeriums durchführte.</p>"
            ),
            "results": (
                "<p>Die Planung der Neustadt stützt sich auf gemeinsam aufgebaute Geodaten.</p>"
            ),
            "lessons": (
                "<p>Auch eine kleinere Kommune kann einer großen mit gezieltem Fachwissen "
                "helfen: Entscheidend ist, was sie besonders gut kann.</p>"
            ),
        },
        "en": {
            "title": "Geodata for a new town: Sindelfingen and Annaba",
            "teaser": (
                "The much smaller town of Sindelfingen contributes a geographic information "
                "system to building Drâa Errich near Annaba in Algeria, a new town planned for "
                "240,000 people."
            ),
            "body": (
                "<p>Both cities have worked together since 2016 in the project Municipal "
                "Cooperation Maghreb-Germany, which the agency ran with GIZ on behalf of the "
                "Federal Development Ministry.</p>"
            ),
            "results": "<p>The new town is planned on geodata the partners built up together.</p>",
            "lessons": (
                "<p>A smaller municipality can help a large one with specific expertise: what "
                "matters is what it does particularly well.</p>"
            ),
        },
    },
    {
        "kind": "practice",
        "slug": "pfinztal-kidira-anpassung",
        "date": dt.date(2021, 8, 5),
        "place": "Pfinztal",
        "partnership": ("Pfinztal", "Kidira"),
        "countries": ["SN"],
        "themes": ["klimaanpassung", "energie", "sdg-13"],
        "tags": ["Klimapartnerschaft"],
        "de": {
            "title": "Klimaanpassung als gemeinsame Aufgabe: Pfinztal und Kidira",
            "teaser": (
                "In ihrer Klimapartnerschaft nehmen sich eine badische Gemeinde und eine "
                "Kommune im Osten Senegals die Folgen des Klimawandels gemeinsam vor."
            ),
            "body": (
                "<p>Die Partnerschaft wird gefördert. Beide Seiten bringen ein, was sie über "
                "die Folgen von Hitze, Starkregen und Trockenheit vor Ort wissen.</p>"
            ),
            "results": "<p>Ein gemeinsames Verständnis der Risiken auf beiden Seiten.</p>",
            "lessons": (
                "<p>Wer die Folgen des Klimawandels selbst erlebt, lernt von der Partnerkommune "
                "auf Augenhöhe.</p>"
            ),
        },
        "en": {
            "title": "Climate adaptation as a shared task: Pfinztal and Kidira",
            "teaser": (
                "In their climate partnership, a municipality in Baden and one in eastern "
                "Senegal tackle the effects of climate change together."
            ),
            "body": (
                "<p>The partnership is funded. Each side contributes what it knows about the "
                "effects of heat, heavy rain and drought where it is.</p>"
            ),
            "results": "<p>A shared understanding of the risks on both sides.</p>",
            "lessons": (
                "<p>Those who feel the effects of climate change themselves learn from their "
                "partner as equals.</p>"
            ),
        },
    },
]

PROGRAMME_PAGES = [
    {
        "slug": "fachkraeftefonds",
        "programme": "fachkraeftefonds",
        "offers": ["advice", "networking", "financial_support"],
        "countries": [],
        "themes": ["abfallwirtschaft", "klimaschutz", "e-governance"],
        "de": {
            "title": "Fachkräftefonds für kommunale Partnerschaften weltweit",
            "teaser": (
                "Fachkräfte unterstützen Partnerkommunen deutscher Städte, Gemeinden und "
                "Landkreise dabei, die Ziele der Agenda 2030 umzusetzen."
            ),
            "background": (
                "<p>Immer mehr Menschen leben in Städten. Kommunen schaffen Infrastruktur und "
                "Dienstleistungen und prägen so eine nachhaltige Entwicklung vor Ort; nah an den "
                "Bürgerinnen und Bürgern stärken sie auch Teilhabe und Demokratie.</p><p>Viele "
                "deutsche Kommunen teilen ihre Erfahrung in Partnerschaften weltweit – doch oft "
                "fehlen ihnen und ihren Partnern die Mittel, ihre Vorhaben umzusetzen.</p>"
            ),
            "goal": (
                "<p>Ausgewählte Partnerkommunen setzen die Nachhaltigkeitsziele der Agenda 2030 "
                "um.</p>"
            ),
            "approach": (
                "<p>Der Fonds setzt Integrierte Fachkräfte und Entwicklungshelferinnen und "
                "-helfer ein oder finanziert einheimische Fachkräfte in der Partnerkommune. Sie "
                "beraten etwa zu Abfallwirtschaft, Klimaschutz, Stadtverkehr und E-Governance "
                "und helfen, finanzierbare Projekte zu entwickeln.</p><p>Die Servicestelle "
                "plant und begleitet die Einsätze und bringt die Beteiligten in Dialog- und "
                "Vernetzungsformaten zusammen.</p>"
            ),
            "offer_details": "",
            "target_group": (
                "<p>Städte, Gemeinden und Landkreise, die eine aktive Partnerschaft mit einer "
                "deutschen Kommune haben.</p>"
            ),
            "contacts": [("Servicestelle, Team Fachkräftefonds", "", "", "")],
        },
        "en": {
            "title": "Expert fund for municipal partnerships worldwide",
            "teaser": (
                "Experts help the partner municipalities of German cities, towns and districts "
                "to reach the goals of the 2030 Agenda."
            ),
            "background": (
                "<p>More and more people live in cities. Municipalities provide infrastructure "
                "and services and so shape sustainable development locally; close to their "
                "citizens, they also strengthen participation and democracy.</p><p>Many German "
                "municipalities share their experience in partnerships around the world, but "
                "they and their partners often lack the means to carry out their plans.</p>"
            ),
            "goal": (
                "<p>Selected partner municipalities implement the goals of the 2030 Agenda.</p>"
            ),
            "approach": (
                "<p>The fund places integrated experts and development workers, or pays local "
                "experts in the partner municipality. They advise on waste management, climate "
                "protection, urban transport and e-governance, for example, and help to "
                "develop projects that can be financed.</p><p>The agency plans and accompanies "
                "the placements and brings those involved together in dialogue and networking "
                "formats.</p>"
            ),
            "offer_details": "",
            "target_group": (
                "<p>Cities, towns and districts that have an active partnership with a German "
                "municipality.</p>"
            ),
            "contacts": [("Agency, expert fund team", "", "", "")],
        },
    },
    {
        "slug": "nordafrika",
        "programme": "nordafrika",
        "offers": ["advice", "networking", "qualification", "financial_support"],
        "countries": ["EG", "DZ", "MA", "TN"],
        "themes": [
            "stadtentwicklung",
            "abfallwirtschaft",
            "bildung",
            "energie",
            "klimaanpassung",
        ],
        "de": {
            "title": "Kommunale Zusammenarbeit Nordafrika",
            "teaser": (
                "Wir begleiten deutsche Kommunen, die mit Partnern in Ägypten, Algerien, "
                "Marokko oder Tunesien zusammenarbeiten oder damit beginnen möchten."
            ),
            "background": (
                "<p>Klimaschutz, nachhaltige Stadtentwicklung und Daseinsvorsorge beschäftigen "
                "Kommunen in Deutschland wie in Nordafrika. Partnerschaften über das Mittelmeer "
                "hinweg helfen, Antworten zu finden.</p><p>Seit Anfang 2024 gibt es dafür ein "
                "erweitertes Angebot. Es setzt fort, was sich in den abgeschlossenen Projekten "
                "„Kommunale Zusammenarbeit Maghreb-Deutschland“ und „Kommunale "
                "Entwicklungszusammenarbeit Bayern-Tunesien“ bewährt hat, und steht weiteren "
                "Kommunen offen.</p>"
            ),
            "goal": (
                "<p>Bestehende Partnerschaften wachsen, neue entstehen, und gemeinsame Ideen "
                "verbessern die Lebensqualität in den beteiligten Kommunen dauerhaft.</p>"
            ),
            "approach": (
                "<p>Im Mittelpunkt stehen Stadtplanung, Abfallwirtschaft, Umweltbildung, "
                "erneuerbare Energien, Katastrophenvorsorge und die Anpassung an den "
                "Klimawandel. Beide Seiten bringen ihre Stärken ein und tragen gemeinsam "
                "Verantwortung; Vertrauen und interkulturelles Verständnis sind die "
                "Grundlage.</p>"
            ),
            "offer_details": (
                "<p>Wir beraten zu Themen und Aktionsplänen und suchen mit Ihnen passende "
                "Förderung; wir helfen bei Anbahnungs- und Delegationsreisen und digitalem "
                "Austausch; wir laden zu Netzwerktreffen und Partnerschaftskonferenzen ein; "
                "Seminare vermitteln interkulturelle Zusammenarbeit und die "
                "Verwaltungsstrukturen der vier Länder. Bei Bedarf übernehmen wir "
                "Dolmetschkosten von Videokonferenzen und Reisekosten nach den geltenden "
                "Richtlinien.</p>"
            ),
            "target_group": (
                "<p>Deutsche Städte, Gemeinden, Landkreise und kommunale Unternehmen mit "
                "Partnern in Nordafrika – oder dem Wunsch danach.</p>"
            ),
            "contacts": [("Servicestelle, Team Nordafrika", "", "", "")],
        },
        "en": {
            "title": "Municipal cooperation with North Africa",
            "teaser": (
                "We support German municipalities that work with partners in Egypt, Algeria, "
                "Morocco or Tunisia, or want to start doing so."
            ),
            "background": (
                "<p>Climate protection, sustainable urban development and public services "
                "concern municipalities in Germany and in North Africa alike. Partnerships "
                "across the Mediterranean help to find answers.</p><p>Since early 2024 there "
                "is a wider offer for this. It carries on what worked in the completed "
                "projects Municipal Cooperation Maghreb-Germany and Municipal Development "
                "Cooperation Bavaria-Tunisia, and is open to more municipalities.</p>"
            ),
            "goal": (
                "<p>Existing partnerships grow, new ones begin, and shared ideas lastingly "
                "improve the quality of life in the municipalities involved.</p>"
            ),
            "approach": (
                "<p>The focus is on urban planning, waste management, environmental education, "
                "renewable energy, disaster preparedness and adapting to climate change. Both "
                "sides contribute their strengths and share responsibility; trust and "
                "intercultural understanding are the basis.</p>"
            ),
            "offer_details": (
                "<p>We advise on topics and action plans and look for suitable funding with "
                "you; we help with exploratory and delegation trips and digital exchange; we "
                "invite to network meetings and partnership conferences; seminars cover "
                "intercultural cooperation and the administrative structures of the four "
                "countries. Where needed we pay for interpreting video conferences and for "
                "travel under the applicable rules.</p>"
            ),
            "target_group": (
                "<p>German cities, towns, districts and municipal companies with partners in "
                "North Africa, or the wish to find them.</p>"
            ),
            "contacts": [("Agency, North Africa team", "", "", "")],
        },
    },
]

FORMAT_PAGES = [
    {
        "slug": "regionalkonferenzen",
        "de": {
            "title": "Regionalkonferenzen",
            "teaser": (
                "Bundesweite Konferenzen zu kommunalen Partnerschaften mit einer Weltregion: "
                "für deutsche Kommunen, die Zivilgesellschaft und ihre Partner im Globalen "
                "Süden."
            ),
            "rhythm": "alle drei Jahre je Weltregion",
            "body": (
                "<p>Die Konferenzen greifen alle Themen kommunaler Entwicklungspolitik im Sinne "
                "der Agenda 2030 auf. Sie sind bewusst interaktiv: Man lernt voneinander und "
                "kommt mit Kolleginnen und Kollegen ins Gespräch. Eingeladen sind Kommunen "
                "gemeinsam mit ihrer Partnerkommune.</p><p>Es gibt Konferenzen zu Afrika – die "
                "fünfte fand im September 2022 in Dresden statt –, zu Asien, zu Lateinamerika "
                "und zu Osteuropa, wo die erste 2017 in Esslingen am Neckar stattfand. "
                "Angesprochen sind Länder, die öffentliche Entwicklungsgelder erhalten.</p>"
            ),
            "target_group": (
                "<p>Menschen aus deutschen Kommunalverwaltungen, Politik und Zivilgesellschaft "
                "und aus ihren Partnerkommunen.</p>"
            ),
        },
        "en": {
            "title": "Regional conferences",
            "teaser": (
                "Nationwide conferences on municipal partnerships with one world region: for "
                "German municipalities, civil society and their partners in the Global South."
            ),
            "rhythm": "every three years per world region",
            "body": (
                "<p>The conferences take up every topic of municipal development policy in the "
                "spirit of the 2030 Agenda. They are interactive by design: people learn from "
                "each other and meet colleagues. Municipalities are invited together with their "
                "partner municipality.</p><p>There are conferences on Africa (the fifth took "
                "place in Dresden in September 2022), Asia, Latin America and Eastern Europe, "
                "where the first was held in Esslingen am Neckar in 2017. They address "
                "countries that receive official development assistance.</p>"
            ),
            "target_group": (
                "<p>People from German municipal administrations, politics and civil society, "
                "and from their partner municipalities.</p>"
            ),
        },
    },
    {
        "slug": "runde-tische",
        "de": {
            "title": "Runde Tische",
            "teaser": (
                "Kommunen mit Partnerschaften im selben Land treffen sich regelmäßig, tauschen "
                "Erfahrungen aus und entwickeln ihre Partnerschaften gemeinsam weiter."
            ),
            "rhythm": "regelmäßige Treffen je Partnerland",
            "body": (
                "<p>Runde Tische gibt es zu Nicaragua (seit 2012; mit dem Land bestehen über 30 "
                "partnerschaftliche Beziehungen), zu Burkina Faso (seit 2014), zur Mongolei "
                "(seit 2015) und zu Argentinien (erstmals 2019 in Berlin).</p>"
            ),
            "target_group": (
                "<p>Vertreterinnen und Vertreter deutscher Kommunen mit bestehenden oder "
                "entstehenden Beziehungen in das jeweilige Land.</p>"
            ),
        },
        "en": {
            "title": "Round tables",
            "teaser": (
                "Municipalities with partnerships in the same country meet regularly, share "
                "experience and develop their partnerships together."
            ),
            "rhythm": "regular meetings per partner country",
            "body": (
                "<p>There are round tables on Nicaragua (since 2012; there are more than 30 "
                "partnership links with the country), Burkina Faso (since 2014), Mongolia "
                "(since 2015) and Argentina (first held in Berlin in 2019).</p>"
            ),
            "target_group": (
                "<p>Representatives of German municipalities with existing or emerging links "
                "to the country concerned.</p>"
            ),
        },
    },
]
