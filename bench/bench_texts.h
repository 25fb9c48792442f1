// Benchmark inputs: news-style articles written for these benchmarks (not
// taken from any corpus), about 3 KB each, plus short paragraphs for the
// per-document benchmarks. Read at run time: an optional real sample.
#ifndef NLPD_BENCH_BENCH_TEXTS_H_
#define NLPD_BENCH_BENCH_TEXTS_H_

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace nlpd::bench {

inline constexpr char kGermanArticle[] =
    "Hamburg. Der Hafen der Hansestadt hat im dritten Quartal deutlich weniger "
    "Container umgeschlagen als im Vorjahr. Nach Angaben der Hafenbehörde sank "
    "der Umschlag um 6,4 Prozent auf knapp 1,9 Mio. Standardcontainer. Als "
    "Gründe nannte die Behörde am 14. Oktober die schwächere Nachfrage aus "
    "Asien, höhere Energiepreise und Streiks in mehreren Nordseehäfen.\n"
    "Die Wirtschaftsbehörde zeigte sich dennoch zuversichtlich. \"Wir sehen "
    "erste Anzeichen einer Erholung\", sagte Senatorin Dr. Maren Köhler bei "
    "einer Pressekonferenz im Rathaus. Vor allem der Verkehr mit Skandinavien "
    "und dem Baltikum habe sich stabilisiert. Für das vierte Quartal rechne "
    "man mit einem leichten Plus, z. B. durch neue Liniendienste nach "
    "Göteborg und Danzig.\n"
    "Kritik kam von der Opposition in der Bürgerschaft. Der verkehrspolitische "
    "Sprecher der Fraktion warf dem Senat vor, die Elbvertiefung habe nicht "
    "die versprochenen Effekte gebracht. Große Schiffe müssten weiterhin auf "
    "die Flut warten, was Zeit und Geld koste. Die Reedereien wichen deshalb "
    "zunehmend nach Rotterdam oder Antwerpen aus, hieß es.\n"
    "Auch die Gewerkschaft meldete sich zu Wort. Sie fordert für die rund "
    "4.000 Beschäftigten der Terminalbetreiber eine Lohnerhöhung von 9,5 "
    "Prozent bei einer Laufzeit von zwölf Monaten. Die Arbeitgeber lehnen das "
    "ab und verweisen auf die angespannte Lage. Die nächste Verhandlungsrunde "
    "ist für den 3. November angesetzt; ein Schlichter soll notfalls "
    "vermitteln.\n"
    "Unterdessen treibt die Stadt den Umbau des Hafens voran. Bis 2030 sollen "
    "mehrere Terminals automatisiert und mit Landstrom ausgestattet werden, "
    "damit Kreuzfahrt- und Containerschiffe während der Liegezeit ihre "
    "Dieselmotoren abschalten können. Das Projekt kostet nach bisherigen "
    "Schätzungen ca. 850 Mio. Euro, wovon der Bund etwa ein Drittel "
    "übernimmt.\n"
    "Umweltverbände begrüßen den Ausbau des Landstroms grundsätzlich, halten "
    "das Tempo aber für zu gering. Jedes Jahr ohne Anschluss bedeute "
    "zusätzliche Emissionen von Stickoxiden und Feinstaub in dicht bewohnten "
    "Stadtteilen wie Altona oder Wilhelmsburg. Ein Sprecher forderte "
    "verbindliche Fristen für alle Reedereien, die Hamburg anlaufen.\n"
    "Der Hafen ist mit mehr als 100.000 direkt und indirekt Beschäftigten "
    "einer der wichtigsten Arbeitgeber Norddeutschlands. Wirtschaftsforscher "
    "des Instituts für Weltwirtschaft in Kiel erwarten, dass sich der "
    "Güterverkehr erst im kommenden Jahr spürbar belebt. Entscheidend sei, ob "
    "die Nachfrage in China und den USA anzieht und ob die Lieferketten "
    "stabil bleiben.\n"
    "Die Hafenbehörde will ihre Zahlen für das Gesamtjahr Anfang Februar "
    "vorlegen. Bis dahin sollen auch die Ergebnisse einer Studie zur "
    "Zusammenarbeit der deutschen Seehäfen vorliegen, die Bremen, Hamburg und "
    "Wilhelmshaven gemeinsam in Auftrag gegeben haben. Eine engere Kooperation "
    "gilt als Voraussetzung dafür, im Wettbewerb mit den großen Häfen an der "
    "Rheinmündung nicht weiter zurückzufallen.\n";

// An actor-dense German news article (written for the scaling benchmark,
// about 3 KB): many named people, states and offices, quotes, pronouns and
// fused role words ("Kremlsprecher"), so that stance and sentiment meet
// many entities and statements per kilobyte.
inline constexpr char kGermanActorArticle[] =
    "Berlin. Bundeskanzler Olaf Scholz hat am Dienstag vor einer weiteren "
    "Eskalation im Osten der Ukraine gewarnt. \"Wir fordern Moskau auf, die "
    "Truppen sofort abzuziehen\", sagte Scholz nach einem Treffen mit dem "
    "französischen Präsidenten Emmanuel Macron im Kanzleramt. Macron erklärte, "
    "Frankreich werde weitere Luftabwehrsysteme an Kiew liefern.\n"
    "Kremlsprecher Dmitri Peskow wies die Kritik zurück. Er betonte, Russland "
    "behalte sich vor, auf jede Bedrohung militärisch zu antworten. Der "
    "russische Außenminister Sergej Lawrow drohte mit Vergeltung, sollten "
    "westliche Staaten Marschflugkörper liefern.\n"
    "Der ukrainische Präsident Wolodymyr Selenskyj rief die Verbündeten auf, "
    "die Sanktionen zu verschärfen. \"Jeder Tag ohne Munition kostet Leben\", "
    "sagte Selenskyj in Kiew. Verteidigungsminister Rustem Umjerow teilte mit, "
    "die Armee habe mehrere Angriffe bei Charkiw abgewehrt.\n"
    "Die Bundesaußenministerin Annalena Baerbock forderte Verhandlungen unter "
    "Vermittlung der Vereinten Nationen. Sie sagte, eine diplomatische Lösung "
    "sei nur möglich, wenn die Waffen schweigen. UN-Generalsekretär António "
    "Guterres appellierte an beide Seiten, Zivilisten zu schonen und eine "
    "Waffenruhe zu vereinbaren.\n"
    "In Warschau kündigte Ministerpräsident Donald Tusk an, Polen werde seine "
    "Grenztruppen verstärken. \"Wir lassen uns nicht einschüchtern\", sagte "
    "Tusk. Der polnische Verteidigungsminister Władysław Kosiniak-Kamysz "
    "erklärte, die Armee verlege zusätzliche Panzer an die Ostgrenze.\n"
    "Die chinesische Regierung rief zur Zurückhaltung auf. Außenamtssprecherin "
    "Mao Ning sagte in Peking, China unterstütze alle Bemühungen um eine "
    "friedliche Beilegung des Konflikts. Der türkische Präsident Recep Tayyip "
    "Erdoğan bot erneut an, Gespräche in Istanbul auszurichten.\n"
    "NATO-Generalsekretär Mark Rutte warnte vor einem Angriff auf das "
    "Bündnisgebiet. Er sagte, die Allianz werde jeden Zentimeter verteidigen. "
    "US-Außenminister Antony Blinken kündigte ein neues Hilfspaket über zwei "
    "Milliarden Dollar an, das auch Raketen für Himars-Systeme umfasse.\n"
    "Der ungarische Ministerpräsident Viktor Orbán lehnte weitere Sanktionen "
    "ab. \"Sanktionen schaden Europa mehr als Russland\", sagte Orbán in "
    "Budapest. Die EU-Kommissionspräsidentin Ursula von der Leyen widersprach "
    "und erklärte, die Union stehe geschlossen an der Seite der Ukraine.\n"
    "Der belarussische Machthaber Alexander Lukaschenko kündigte gemeinsame "
    "Manöver mit russischen Truppen an. Die litauische Regierung in Vilnius "
    "verurteilte die Übungen als Provokation. Präsident Gitanas Nausėda sagte, "
    "Litauen werde die Grenze schließen, falls nötig.\n";

inline constexpr char kEnglishArticle[] =
    "LONDON - Britain's largest rail operator said on Tuesday it would cut "
    "about 1,200 jobs over the next two years as passenger numbers remain "
    "below their pre-pandemic level and costs continue to rise. The company, "
    "which runs services on several main lines out of the capital, blamed "
    "higher energy prices and a sharp increase in track access charges.\n"
    "Chief executive Sarah J. Whitmore told reporters the decision had not "
    "been taken lightly. \"We have looked at every other option first,\" she "
    "said at a briefing in central London. Most of the cuts would fall on "
    "administrative roles, she added, and front-line staff at stations would "
    "not be affected. The firm expects to save roughly 85 million pounds a "
    "year once the plan is complete.\n"
    "Unions reacted angrily. The general secretary of the largest rail union "
    "called the announcement \"a betrayal of the workers who kept trains "
    "running through the crisis\" and said members would be balloted on "
    "strike action within weeks. A previous dispute last winter led to "
    "eleven days of walkouts and cancelled thousands of trains.\n"
    "The Department for Transport said it was aware of the plans but that "
    "staffing was a matter for the operator. A spokesperson pointed to the "
    "government's investment of more than 40 billion pounds in rail "
    "infrastructure, e.g. new signalling on the busiest routes, and said "
    "ministers wanted a railway that was both reliable and affordable.\n"
    "Passenger groups warned that fewer staff could mean longer queues at "
    "ticket offices and less help for disabled travellers. Around 18 per cent "
    "of journeys on the network now begin at stations where the ticket office "
    "opens only part of the day, according to figures published in March by "
    "the industry regulator.\n"
    "Analysts at a City brokerage said the cuts were likely to be the first "
    "of several across the sector. Revenue from season tickets has fallen by "
    "almost a third since 2019 as more people work from home two or three "
    "days a week, while leisure travel at weekends has recovered strongly. "
    "Operators are experimenting with flexible fares to win back commuters.\n"
    "Shares in the operator's parent group rose 3.2 per cent in early trading "
    "on the news, before closing 1.1 per cent higher. The group will publish "
    "its half-year results on Nov. 21, when investors expect further detail "
    "on the savings programme and on talks with the government about the "
    "future of its contracts, which run until 2027.\n"
    "The announcement comes weeks after a review by an independent panel "
    "recommended simplifying the fare system and merging several regional "
    "franchises. The panel's chair, Prof. Alan Hughes, said at the time that "
    "the industry could not rely on public subsidy indefinitely and would "
    "need to attract passengers back with better service and clearer prices. "
    "The government has promised a formal response before the end of the "
    "year.\n";

// A German news paragraph of about 1 KB (1,014 bytes, 9 sentences): the
// unit of nlpctl's bulk work, for the document-view benchmarks.
inline constexpr char kGermanParagraph[] =
    "Bundeskanzler Olaf Scholz ist am Dienstag nach Paris gereist, um mit dem "
    "französischen Präsidenten Emmanuel Macron über die Lage in der Ukraine "
    "zu sprechen. Kremlsprecher Dmitri Peskow drohte unterdessen mit "
    "Vergeltung, sollte der Westen weitere Waffen liefern. Die "
    "Bundesregierung wies die Drohung zurück und kündigte an, die "
    "Unterstützung fortzusetzen. Betroffen sind z. B. Lieferungen von "
    "Luftabwehrsystemen, die bereits im Herbst zugesagt worden waren. In "
    "Berlin kritisierte die Opposition die Informationspolitik der Regierung "
    "scharf. Die Europäische Zentralbank in Frankfurt warnte zugleich vor "
    "steigenden Energiepreisen, die Inflation werde erst im kommenden Jahr "
    "sinken. Am 21. Oktober wollen die Außenminister der G7 in Münster über "
    "weitere Sanktionen beraten. Der Deutsche Gewerkschaftsbund forderte die "
    "Bundesregierung auf, die Entlastungen für Haushalte mit geringem "
    "Einkommen auszuweiten. Ein Sprecher des Finanzministeriums sagte am "
    "Abend in Berlin, man prüfe die Vorschläge sorgfältig.";

// Short news paragraphs (one or two sentences) for the per-document
// benchmarks; ParagraphFor(i) cycles through them with a varying number.
inline const std::vector<std::string>& ShortParagraphs() {
  static const std::vector<std::string> kParagraphs = {
      "Die Polizei in Köln hat am Wochenende mehr als 300 Fahrzeuge "
      "kontrolliert. Dabei wurden zwölf Fahrer ohne gültigen Führerschein "
      "gestoppt.",
      "Der Stadtrat von Leipzig stimmte am Donnerstag für den Bau einer neuen "
      "Straßenbahnlinie. Die Kosten liegen bei rund 120 Mio. Euro.",
      "Heavy rain caused flooding in parts of northern England on Sunday, "
      "closing roads and disrupting train services between Leeds and York.",
      "The central bank left interest rates unchanged on Thursday, saying "
      "inflation was falling more slowly than expected.",
      "Wegen eines Streiks fallen am Montag an den Flughäfen München und "
      "Nürnberg zahlreiche Flüge aus. Reisende sollen sich vorab informieren.",
      "Researchers at a university in Scotland say a new battery design could "
      "cut charging times for electric buses by half.",
  };
  return kParagraphs;
}

inline std::string ParagraphFor(size_t i) {
  const std::vector<std::string>& p = ShortParagraphs();
  return p[i % p.size()] + " (" + std::to_string(i) + ")";
}

// The optional real sample; nullopt (and the caller skips) when absent.
// NLPD_BENCH_SAMPLE overrides the path.
inline std::optional<std::string> ReadSample() {
  const char* env = std::getenv("NLPD_BENCH_SAMPLE");
  const std::string path =
      env != nullptr ? env : "/work/shared/samples/de-news-nordkorea.txt";
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace nlpd::bench

#endif  // NLPD_BENCH_BENCH_TEXTS_H_
