"""The demo site’s content, written for this project: every person, place and event is invented.

`manage.py load_demo` reads these lists. Slugs are the stable keys: a row whose slug exists is
left as it is, so the command can run any number of times.
"""

SECTIONS = [
    # slug, name, description
    ("celebrity", "Celebrity", "The people everyone is talking about, and what they said themselves."),
    ("entertainment", "Entertainment", "Film, television, music and the festivals that bring them together."),
    ("lifestyle", "Lifestyle", "Food, travel, style and the small habits that make a week better."),
    ("culture", "Culture", "Books, theatre, museums and the ideas behind them."),
]

# The first colour is the portrait’s background, the second the silhouette’s.
AUTHORS = [
    {
        "slug": "nadia-ferreira",
        "name": "Nadia Ferreira",
        "role": "Celebrity editor",
        "bio": "Nadia has covered premieres, weddings and the occasional feud for twelve years. "
        "She prefers a phone call to a press release and answers every reader email eventually.",
        "colours": ("#f4a259", "#5b3758"),
    },
    {
        "slug": "owen-castellan",
        "name": "Owen Castellan",
        "role": "Entertainment reporter",
        "bio": "Owen writes about film and television from the festival circuit and the sofa. "
        "Before joining the newsroom he ran a cinema club above a bakery.",
        "colours": ("#8ecae6", "#023047"),
    },
    {
        "slug": "priya-lindqvist",
        "name": "Priya Lindqvist",
        "role": "Lifestyle writer",
        "bio": "Priya tests the recipes, rides the night trains and tries the habits so readers "
        "don’t have to guess. She keeps a notebook of every dish she has burnt.",
        "colours": ("#b5e48c", "#1e6091"),
    },
    {
        "slug": "tomas-albright",
        "name": "Tomás Albright",
        "role": "Culture critic",
        "bio": "Tomás reviews books, plays and exhibitions, and reads the footnotes. "
        "He grew up in a house with more bookshelves than chairs.",
        "colours": ("#e9c46a", "#264653"),
    },
    {
        "slug": "hazel-moriarty",
        "name": "Hazel Moriarty",
        "role": "Senior writer",
        "bio": "Hazel writes the longer pieces: profiles, trends and the stories behind the "
        "headlines. She has interviewed three generations of the same acting family.",
        "colours": ("#ffafcc", "#3a0ca3"),
    },
]

TAGS = [
    # People (all fictional)
    ("marisol-vance", "Marisol Vance"),
    ("theo-okafor", "Theo Okafor"),
    ("juniper-hale", "Juniper Hale"),
    ("dev-raman", "Dev Raman"),
    ("lena-kowalczyk", "Lena Kowalczyk"),
    ("the-paper-lanterns", "The Paper Lanterns"),
    ("ruby-achterberg", "Ruby Achterberg"),
    ("caspian-reyes", "Caspian Reyes"),
    # Topics
    ("music", "Music"),
    ("film", "Film"),
    ("television", "Television"),
    ("fashion", "Fashion"),
    ("food", "Food"),
    ("books", "Books"),
    ("weddings", "Weddings"),
    ("awards", "Awards"),
    ("festivals", "Festivals"),
    ("theatre", "Theatre"),
    ("travel", "Travel"),
    ("wellness", "Wellness"),
]

# Hero illustrations: (first colour, second colour, colour words for the alt text, motif).
# Motifs the generator knows: circles, stripes, waves, sun, grid, peaks.
DRAFT = "draft"

STORIES = [
    # ---------------------------------------------------------------- Celebrity
    {
        "slug": "marisol-vance-marries-in-lighthouse-ceremony",
        "section": "celebrity",
        "title": "Marisol Vance Marries Longtime Partner in a Lighthouse Ceremony",
        "dek": "The singer invited forty guests, asked them to leave their phones at the door and "
        "requested donations to a lifeboat charity instead of gifts.",
        "authors": ["nadia-ferreira"],
        "tags": ["marisol-vance", "weddings", "music"],
        "days_ago": 2.2,
        "hero": ("#ff7f51", "#2b2d42", "coral and charcoal", "sun"),
        "caption": "The lighthouse on Gull Point, where the ceremony took place",
        "body": """
<p>Marisol Vance has married her partner of nine years, the set designer Aurelio Brandt, in a
ceremony held on Saturday evening at the old lighthouse on Gull Point. Forty guests climbed the
spiral stairs in small groups, and the vows were spoken on the gallery as the lamp came on.</p>
<p>A representative confirmed the news on Sunday morning, adding that the couple “would like to
keep the rest of the weekend to themselves”. Guests were asked to hand in their phones at the door,
which explains why the only picture so far is the one the singer posted herself: two pairs of
boots on a wet iron floor.</p>
<h2>A playlist instead of a band</h2>
<p>There was no band. Vance, whose last album was recorded almost entirely in her kitchen, put
together a playlist of the songs the couple danced to in their first year, and guests were told
the order would be “alphabetical, to avoid arguments”.</p>
<blockquote><p>We have spent our whole life together on stages and in workshops. We wanted one
night that was small enough to remember every face.</p></blockquote>
<p>Instead of gifts, the couple asked for donations to the volunteer lifeboat crew that keeps watch
over the point. Read more about <a href="/tag/marisol-vance/">Marisol Vance</a> and the
<a href="/tag/weddings/">weddings</a> we have covered this year.</p>
""",
    },
    {
        "slug": "theo-okafor-returns-to-community-theatre",
        "section": "celebrity",
        "title": "Theo Okafor Goes Back to the Community Theatre Where He Started",
        "dek": "Between two film shoots, the actor spent a fortnight painting scenery and coaching "
        "a cast of teenagers for a summer production.",
        "authors": ["hazel-moriarty"],
        "tags": ["theo-okafor", "theatre", "film"],
        "days_ago": 5.4,
        "hero": ("#3d5a80", "#ee6c4d", "navy and orange", "stripes"),
        "caption": "The stage of the Millbrook Community Theatre before the dress rehearsal",
        "body": """
<p>Theo Okafor was fourteen when he first stood on the stage of the Millbrook Community Theatre,
playing a lamp post with one line. Twenty years and two major film awards later, he has come back
to help its youth company put on a play about a town that loses its river.</p>
<p>The actor arrived without an entourage and, according to the theatre’s director, “asked for
a paintbrush before he asked for a coffee”. He has spent most afternoons on the scenery and the
evenings running lines with a cast whose average age is fifteen.</p>
<h2>What he told the cast</h2>
<blockquote><p>Nobody in the audience knows which line you forgot. They only know whether you
kept going.</p></blockquote>
<p>The production runs for three nights next month. All tickets are pay-what-you-can, and the
theatre says it has already had to add a fourth performance.</p>
""",
    },
    {
        "slug": "juniper-hale-trades-late-night-for-morning-podcast",
        "section": "celebrity",
        "title": "Juniper Hale Trades Late Night for a Morning Podcast",
        "dek": "After eight years behind a desk at midnight, the host says she wants to talk to "
        "people while they are still making breakfast.",
        "authors": ["nadia-ferreira", "owen-castellan"],
        "tags": ["juniper-hale", "television", "wellness"],
        "days_ago": 8.1,
        "hero": ("#ffd166", "#118ab2", "yellow and blue", "circles"),
        "caption": "Juniper Hale’s new recording studio, converted from a garden shed",
        "body": """
<p>Juniper Hale, whose late-night show ended its run in the spring, is starting a podcast that
will be released at six o’clock every weekday morning. Each episode will last exactly as long as
it takes to boil an egg, she said: “Seven minutes, or nine if you like them firm.”</p>
<p>The first guests include a lighthouse keeper, a children’s librarian and a retired stunt
performer. Hale says she chose them because “they have all had jobs where nobody clapped”.</p>
<h2>Why mornings</h2>
<ul>
<li>She wants to be heard before the day’s news takes over.</li>
<li>Short episodes fit a walk to the bus stop.</li>
<li>“Nobody is performing at six in the morning, not even me.”</li>
</ul>
<p>The podcast is recorded in a converted garden shed. Hale insists the birdsong in the
background of the trailer was not added afterwards.</p>
""",
    },
    {
        "slug": "lena-kowalczyk-mends-her-red-carpet-gowns",
        "section": "celebrity",
        "title": "Lena Kowalczyk’s Red-Carpet Gowns Are Being Mended, Not Retired",
        "dek": "The designer is asking the stars who wore her dresses to send them back for "
        "repairs, so they can be worn again next season.",
        "authors": ["hazel-moriarty"],
        "tags": ["lena-kowalczyk", "fashion", "awards"],
        "days_ago": 12.3,
        "hero": ("#9b5de5", "#f15bb5", "violet and pink", "waves"),
        "caption": "A workbench in Lena Kowalczyk’s studio, covered in spools of thread",
        "body": """
<p>Most red-carpet gowns are worn once, photographed a thousand times and then kept in a box.
Lena Kowalczyk wants hers back. The designer has written to every actor and musician who wore one
of her pieces in the past five years, offering free repairs and alterations.</p>
<p>“A dress with a torn hem is not finished, it is interrupted,” she said at her studio, where
two seamstresses now work only on returns. So far, eleven gowns have come back, one of them with
a note apologising for a red wine stain.</p>
<blockquote><p>I would rather see the same dress on three carpets than three dresses on one.</p></blockquote>
<p>The first mended gowns will appear at this winter’s ceremonies. Kowalczyk says she will not
announce which ones: “If nobody notices, we did a good job.”</p>
""",
    },
    {
        "slug": "paper-lanterns-reunion-what-we-know",
        "section": "celebrity",
        "title": "The Paper Lanterns Reunion: What We Know and What Is Still Rumour",
        "dek": "A cryptic poster, a booked rehearsal room and a drummer who won’t stop smiling. "
        "We sorted the facts from the wishful thinking.",
        "authors": ["owen-castellan"],
        "tags": ["the-paper-lanterns", "music", "festivals"],
        "days_ago": 17.6,
        "hero": ("#06d6a0", "#073b4c", "mint and deep teal", "grid"),
        "caption": "A poster with the band’s old lantern logo, seen on a city wall",
        "body": """
<p>Ten years after their last concert, The Paper Lanterns have become the subject of the kind of
rumour that fans keep alive by refreshing the same three web pages. Here is where things stand.</p>
<p>The band split in a hurry and without a farewell tour, which is partly why the hope has never
quite gone away. Their four albums still sell, and a tribute night in their home town fills a
church hall every winter.</p>
<h2>Confirmed</h2>
<ul>
<li>Posters with the band’s lantern logo and a date, but no words, have appeared in four cities.</li>
<li>The band’s former manager has registered a new company with the word “Relit” in its name.</li>
<li>Drummer Kit Alcott was photographed leaving a rehearsal studio, grinning.</li>
</ul>
<h2>Not confirmed</h2>
<ul>
<li>A headline slot at a summer festival. The organisers say they “never comment on lanterns”.</li>
<li>A new album. Singer Rosa Imbert has said only that she “has been writing again”.</li>
</ul>
<p>We will update this story as soon as anyone in the band says something on the record. Until
then, see our earlier coverage of <a href="/tag/the-paper-lanterns/">The Paper Lanterns</a>.</p>
""",
    },
    {
        "slug": "caspian-reyes-and-theo-okafor-confirm-second-film",
        "section": "celebrity",
        "title": "Caspian Reyes and Theo Okafor Confirm a Second Film Together",
        "dek": "The director and the actor will shoot a story about two brothers running a ferry, "
        "on a real ferry, next spring.",
        "authors": ["owen-castellan", "nadia-ferreira"],
        "tags": ["caspian-reyes", "theo-okafor", "film"],
        "days_ago": -2.0,  # scheduled: appears by itself in two days
        "hero": ("#f9c74f", "#577590", "gold and slate blue", "peaks"),
        "caption": "The ferry crossing where the film will be shot",
        "body": """
<p>Caspian Reyes and Theo Okafor, whose first film together swept the critics' prizes two years
ago, have confirmed they will work together again. The new film follows two brothers who inherit
a small car ferry and cannot agree on what to do with it.</p>
<p>Shooting begins next spring. Reyes says every scene set on the water will be filmed on a
working ferry during its normal timetable, “so some of the extras will simply be people going to
work”.</p>
<blockquote><p>Theo is the only actor I know who can be funny and sad in the same sentence.</p></blockquote>
<p>The second brother has not been cast yet.</p>
""",
    },
    # ------------------------------------------------------------- Entertainment
    {
        "slug": "harbour-light-film-festival-announces-line-up",
        "section": "entertainment",
        "title": "Harbour Light Film Festival Announces Its Biggest Line-Up Yet",
        "dek": "Ninety films, eleven countries and, for the first time, screenings on the deck of "
        "a moored cargo ship.",
        "authors": ["owen-castellan"],
        "tags": ["festivals", "film", "caspian-reyes"],
        "days_ago": 1.3,
        "hero": ("#ef476f", "#26547c", "raspberry and navy", "circles"),
        "caption": "The harbour front where the open-air screen will stand",
        "body": """
<p>The Harbour Light Film Festival has announced its programme for this year: ninety films from
eleven countries, a retrospective of the director Caspian Reyes and a new open-air venue on the
deck of a cargo ship moored at the east quay.</p>
<p>Almost a third of the programme comes from first-time directors, and every screening of a
debut will be followed by a conversation with its team. The organisers say they received twice
as many entries as last year.</p>
<h2>Highlights</h2>
<ol>
<li>The opening night film, a comedy about a choir that loses its conductor.</li>
<li>A restored print of Reyes’s first short, shown with a live score.</li>
<li>A late-night strand of films shorter than ten minutes, with free soup.</li>
</ol>
<p>The festival’s director said the ship was “the only venue in the city where the audience can
hear the sea during the quiet scenes”. Tickets go on sale next Monday. Our coverage of past
editions is under <a href="/tag/festivals/">Festivals</a>.</p>
""",
    },
    {
        "slug": "quiet-hours-finale-splits-fans",
        "section": "entertainment",
        "title": "'Quiet Hours' Ends After Five Seasons, and Fans Are Split",
        "dek": "The night-shift hospital drama closed with an episode set entirely in a lift. "
        "Some viewers loved it; others wanted answers.",
        "authors": ["owen-castellan", "hazel-moriarty"],
        "tags": ["television", "awards"],
        "days_ago": 4.2,
        "hero": ("#4cc9f0", "#3a0ca3", "sky blue and indigo", "stripes"),
        "caption": "A hospital corridor at night, as seen in the series",
        "body": """
<p>The final episode of “Quiet Hours” was broadcast on Sunday night, and the argument about it
started about four minutes later. The hospital drama, which followed three nurses through the
night shift, ended with an episode set entirely inside a stuck lift.</p>
<h2>The case for</h2>
<p>Supporters say the lift was the point: after five seasons of emergencies, the characters
finally had nothing to do but talk. The writers have said the episode was planned from the start.</p>
<h2>The case against</h2>
<p>Others wanted to know who got the promotion, whether the night porter ever passed his exams
and what was in the parcel from season three.</p>
<blockquote><p>We answered the questions that mattered to the characters. The parcel was never
one of them.</p></blockquote>
<p>The series is widely expected to feature in this year’s television awards.</p>
""",
    },
    {
        "slug": "marisol-vance-adds-small-venue-tour-dates",
        "section": "entertainment",
        "title": "Marisol Vance Adds Twelve Dates to Her Small-Venues Tour",
        "dek": "No arenas, no screens, no support act: the singer is playing village halls and "
        "bookshops with a piano and a borrowed guitar.",
        "authors": ["nadia-ferreira"],
        "tags": ["marisol-vance", "music", "travel"],
        "days_ago": 9.5,
        "hero": ("#f72585", "#4361ee", "magenta and blue", "waves"),
        "caption": "An upright piano in a village hall, waiting for the soundcheck",
        "body": """
<p>Marisol Vance has added twelve dates to the tour she started in the autumn, all in rooms that
hold fewer than three hundred people. The new dates include a ferry terminal, a former chapel and
a bookshop that will move its shelves for the night.</p>
<p>The singer travels with one piano tuner and one sound engineer. She borrows a guitar from
someone in each town, and has promised to return every one “in tune and with new strings”.</p>
<ul>
<li>Tickets are sold in person at each venue before they go online.</li>
<li>Half of the seats are reserved for people who live within ten miles.</li>
<li>Phones are allowed, but flash is not.</li>
</ul>
<p>More on <a href="/tag/marisol-vance/">Marisol Vance</a>.</p>
""",
    },
    {
        "slug": "caspian-reyes-is-making-a-silent-film",
        "section": "entertainment",
        "title": "Caspian Reyes Is Making a Silent Film, and He Means It",
        "dek": "No dialogue, no title cards, one orchestra. The director explains why he wants "
        "audiences to lean forward again.",
        "authors": ["owen-castellan"],
        "tags": ["caspian-reyes", "film", "music"],
        "days_ago": 14.0,
        "hero": ("#2a9d8f", "#e76f51", "teal and terracotta", "sun"),
        "caption": "The set of Caspian Reyes’s new film, a seaside boarding house",
        "body": """
<p>Caspian Reyes has spent his career writing dialogue that actors queue up to say. His next film
will have none. “Lanterns at Low Tide”, shot this summer in a seaside boarding house, will be
screened with a live orchestra and no words at all, not even title cards.</p>
<blockquote><p>When nobody speaks, you watch hands. You watch who looks away first. It is the
most honest thing a camera can do.</p></blockquote>
<p>The cast spent two weeks rehearsing without scripts, working out each scene through gesture
alone. Reyes says the hardest part was stopping himself from shouting directions in the middle of
takes.</p>
<h2>How it will be shown</h2>
<p>The film will open at a handful of concert halls rather than cinemas, with a touring
orchestra. Reyes says a recorded score will follow “eventually, reluctantly”.</p>
""",
    },
    {
        "slug": "awards-season-five-races-to-watch",
        "section": "entertainment",
        "title": "Awards Season Starts Early: Five Races Worth Watching",
        "dek": "From a first-time director to a veteran character actor, these are the contests "
        "that will decide how the winter goes.",
        "authors": ["owen-castellan", "hazel-moriarty"],
        "tags": ["awards", "film", "television", "theo-okafor"],
        "days_ago": 20.4,
        "hero": ("#e9c46a", "#6d597a", "gold and plum", "peaks"),
        "caption": "Rows of empty seats before an awards ceremony",
        "body": """
<p>Nominations are still weeks away, but the campaigns have started. Studios are booking
screenings, actors are giving the same interview to twenty different podcasts, and everybody says
they are “just grateful to be part of the conversation”.</p>
<p>These are the five races we will be following most closely.</p>
<ol>
<li><strong>Best actor:</strong> Theo Okafor’s quiet turn as a lighthouse keeper against two
loud, very long performances.</li>
<li><strong>Best first film:</strong> three debuts, all made for less than the catering budget
of a superhero sequel.</li>
<li><strong>Best drama series:</strong> whether “Quiet Hours” is rewarded for its divisive ending.</li>
<li><strong>Best score:</strong> a category that may include a film with no dialogue at all.</li>
<li><strong>Best ensemble:</strong> the cast of a stage adaptation filmed in a single take.</li>
</ol>
<p>Follow the season under <a href="/tag/awards/">Awards</a>.</p>
""",
    },
    {
        "slug": "juniper-hale-to-host-golden-reel-awards",
        "section": "entertainment",
        "title": "Juniper Hale to Host the Golden Reel Awards",
        "dek": "The former late-night host has agreed to present the ceremony, on one condition: "
        "the speeches have a time limit and she enforces it.",
        "authors": ["nadia-ferreira"],
        "tags": ["juniper-hale", "awards", "television"],
        "status": DRAFT,  # waiting for the organisers' confirmation
        "hero": ("#ffb703", "#fb8500", "amber and orange", "circles"),
        "caption": "The stage of the Golden Reel Awards, under construction",
        "body": """
<p>Juniper Hale will host this year’s Golden Reel Awards, according to two people involved in the
ceremony. The organisers have not confirmed the news.</p>
<p>Hale is said to have asked for a single condition: a ninety-second limit on speeches, enforced
by a kitchen timer she will keep on the lectern.</p>
<p>[Editor: wait for the organisers' statement before publishing.]</p>
""",
    },
    # ----------------------------------------------------------------- Lifestyle
    {
        "slug": "dev-raman-one-pan-winter-suppers",
        "section": "lifestyle",
        "title": "Dev Raman’s One-Pan Winter Suppers, Tested in a Tiny Kitchen",
        "dek": "The chef’s new book promises dinner in one pan and forty minutes. We cooked five "
        "recipes on a two-ring hob to find out.",
        "authors": ["priya-lindqvist"],
        "tags": ["dev-raman", "food", "books"],
        "days_ago": 3.1,
        "hero": ("#e76f51", "#f4a261", "brick red and apricot", "circles"),
        "caption": "A cast-iron pan of roasted squash and lentils",
        "body": """
<p>Dev Raman’s new cookbook makes a bold promise: every recipe uses one pan and takes forty
minutes or less. We tested five of them in a kitchen with two electric rings, one wooden spoon
and a smoke alarm with strong opinions.</p>
<p>Raman wrote the book after a winter of cooking in a rented flat with no oven. “Most people
do not cook in restaurant kitchens,” he told us. “They cook next to a fridge that hums.”</p>
<h2>What worked</h2>
<ul>
<li>The squash with lentils and brown butter: thirty-five minutes, no complaints.</li>
<li>Chickpeas braised in tomato and orange peel, which tasted better the next day.</li>
<li>A pan-baked rice with leeks that even the smoke alarm approved of.</li>
</ul>
<h2>What didn’t</h2>
<p>The “quick” ragù took an hour and ten minutes. Raman, when we told him, laughed: “Forty
minutes is for people with a bigger hob.”</p>
<blockquote><p>A recipe is a suggestion with a shopping list.</p></blockquote>
""",
    },
    {
        "slug": "repair-cafes-are-the-new-boutiques",
        "section": "lifestyle",
        "title": "Repair Cafés Are the New Boutiques",
        "dek": "On Saturday mornings, queues form outside community halls where volunteers darn "
        "jumpers and re-sole boots for the price of a tea.",
        "authors": ["priya-lindqvist", "hazel-moriarty"],
        "tags": ["fashion", "lena-kowalczyk", "wellness"],
        "days_ago": 7.0,
        "hero": ("#90be6d", "#277da1", "leaf green and blue", "grid"),
        "caption": "Volunteers at a repair café sewing buttons onto coats",
        "body": """
<p>At half past nine on a Saturday, the queue outside the Eastfield community hall is forty people
long. Nobody is waiting for a sale. They are carrying coats with broken zips, boots with split
soles and one lamp shaped like a pelican.</p>
<p>Repair cafés, where volunteers fix things for free or for a donation, have spread quickly
this year. The designer Lena Kowalczyk, who mends her own red-carpet gowns, has started teaching
a monthly darning class at one of them.</p>
<h2>Before you go</h2>
<ol>
<li>Bring the thing and, if you have them, the spare buttons.</li>
<li>Expect to help: most volunteers teach rather than do.</li>
<li>Bring a cake. It is not required, but it is noticed.</li>
</ol>
<p>Organisers say the cafés are as much about company as about thread. “People come for a zip
and stay for the conversation,” said one volunteer, who has been fixing toasters for six years.</p>
""",
    },
    {
        "slug": "night-trains-and-the-art-of-arriving-slowly",
        "section": "lifestyle",
        "title": "Night Trains Are Back, and So Is the Art of Arriving Slowly",
        "dek": "New sleeper routes are selling out weeks ahead. We took one to the mountains and "
        "woke up to snow.",
        "authors": ["priya-lindqvist"],
        "tags": ["travel", "wellness"],
        "days_ago": 11.2,
        "hero": ("#14213d", "#fca311", "midnight blue and amber", "peaks"),
        "caption": "Mountains seen from a sleeper carriage window at dawn",
        "body": """
<p>The train left at a quarter to nine in the evening, and for the first hour everyone in the
dining car pretended not to be excited. By ten, strangers were sharing crisps.</p>
<p>New sleeper routes have opened this year, and many sell out weeks in advance. Travellers say
the appeal is not speed but the opposite: a night when nothing needs doing.</p>
<p>Our compartment had two bunks, a tiny sink and a window that could not quite be closed. At
some point after midnight the train stopped for an hour in a silent station, and nobody minded.</p>
<blockquote><p>You go to sleep in one country and wake up in a postcard.</p></blockquote>
<h2>Tips from the conductor</h2>
<ul>
<li>Book the lower bunk if you like to look out of the window.</li>
<li>Bring slippers. The corridor is colder than you think.</li>
<li>Breakfast is served an hour before arrival, not a minute later.</li>
</ul>
""",
    },
    {
        "slug": "the-ten-minute-walk-small-habit-loyal-fans",
        "section": "lifestyle",
        "title": "The Ten-Minute Walk: Small Habit, Surprisingly Loyal Fans",
        "dek": "A walk after lunch, a walk before bed. Readers told us how a ten-minute habit "
        "changed their days, and a few admitted it didn’t.",
        "authors": ["priya-lindqvist"],
        "tags": ["wellness", "juniper-hale"],
        "days_ago": 15.8,
        "hero": ("#80ed99", "#22577a", "spring green and sea blue", "waves"),
        "caption": "A tree-lined path in a city park",
        "body": """
<p>We asked readers to take a ten-minute walk every day for two weeks and to tell us what
happened. More than three hundred wrote back.</p>
<p>Most reported sleeping a little better and eating lunch away from their desk for the first
time in years. Several said they now know the names of their neighbours' dogs. A few admitted they
gave up after three days, mostly because of rain.</p>
<blockquote><p>It is the only ten minutes of the day when nobody can ask me anything.</p></blockquote>
<p>The podcaster Juniper Hale, who records her morning show after a walk around her garden, told
us the habit “is the cheapest thing I own”.</p>
""",
    },
    {
        "slug": "dev-raman-opens-restaurant-with-no-menu",
        "section": "lifestyle",
        "title": "Dev Raman Opens a Restaurant With No Menu Inside a Covered Market",
        "dek": "Twelve stools, one counter and whatever the stallholders had left at four "
        "o’clock: the chef’s new place cooks the market’s surplus.",
        "authors": ["priya-lindqvist", "nadia-ferreira"],
        "tags": ["dev-raman", "food", "travel"],
        "days_ago": 19.3,
        "hero": ("#d62828", "#fcbf49", "red and saffron", "stripes"),
        "caption": "The counter of Dev Raman’s market restaurant before service",
        "body": """
<p>Dev Raman’s new restaurant has twelve stools, a single counter and no menu. Every afternoon
at four, the chef walks the covered market and buys what the stallholders have not sold. Dinner is
whatever he can make of it.</p>
<p>On the night we visited, that meant charred cabbage with hazelnuts, a stew of white beans and
smoked fish, and a pear tart made with fruit that “was one day from being jam”.</p>
<h2>How to get a seat</h2>
<p>There are no reservations. A chalkboard outside lists the number of free stools, updated by
hand. See <a href="/tag/food/">more food stories</a>.</p>
""",
    },
    {
        "slug": "smaller-weddings-longer-dinners",
        "section": "lifestyle",
        "title": "Smaller Weddings, Longer Dinners: How Couples Are Celebrating Now",
        "dek": "Guest lists are shrinking and menus are growing. Planners say the party has moved "
        "from the dance floor to the table.",
        "authors": ["hazel-moriarty"],
        "tags": ["weddings", "food", "marisol-vance"],
        "days_ago": 24.0,
        "hero": ("#ffc8dd", "#6a4c93", "blush pink and purple", "sun"),
        "caption": "A long table laid for a wedding dinner in a barn",
        "body": """
<p>Wedding planners have noticed a change: couples are inviting fewer people and feeding them for
longer. Dinners of six or seven courses, once reserved for the very rich, are now common at
weddings of thirty guests.</p>
<p>The singer Marisol Vance’s lighthouse ceremony, with forty guests and no phones, is only the
best-known example.</p>
<p>Caterers report bookings for long lunches that run into the evening, and couples asking for
family recipes to be cooked for the menu. One planner described it as “a dinner party with
vows”.</p>
<h2>What couples are skipping</h2>
<ul>
<li>The big band, replaced by a playlist and a good speaker.</li>
<li>Favours, replaced by a donation to a charity of the couple’s choice.</li>
<li>The seating plan, replaced by one very long table.</li>
</ul>
<blockquote><p>People remember who they sat next to, not what colour the napkins were.</p></blockquote>
""",
    },
    # ------------------------------------------------------------------- Culture
    {
        "slug": "ruby-achterberg-novel-set-in-a-single-afternoon",
        "section": "culture",
        "title": "Ruby Achterberg’s New Novel Takes Place in a Single Afternoon",
        "dek": "Four hundred pages, four hours, one family waiting for a phone call. Our critic "
        "found it the most gripping book of the year.",
        "authors": ["tomas-albright"],
        "tags": ["ruby-achterberg", "books"],
        "days_ago": 2.6,
        "hero": ("#264653", "#e9c46a", "dark teal and gold", "grid"),
        "caption": "An armchair by a window in late-afternoon light",
        "body": """
<p>Ruby Achterberg’s fifth novel, “The Waiting Room”, begins at two o’clock on a Thursday and
ends just after six. In between, a family gathers in a farmhouse kitchen to wait for news from a
hospital, and every one of them rewrites their past while the kettle boils.</p>
<p>It should not work. Four hundred pages for four hours sounds like a dare. But Achterberg has
always been a writer of small movements, and here the smallest gesture, a chair pushed back, a
cup left unwashed, carries the weight of a decade.</p>
<blockquote><p>She writes silence better than most writers write arguments.</p></blockquote>
<h2>Verdict</h2>
<p>A quiet book that is impossible to put down. Read our interview with
<a href="/tag/ruby-achterberg/">Ruby Achterberg</a> about the film adaptation of her last novel.</p>
""",
    },
    {
        "slug": "city-libraries-open-until-midnight",
        "section": "culture",
        "title": "City Libraries Try Staying Open Until Midnight",
        "dek": "A three-month trial of late opening has brought in students, night-shift workers "
        "and a knitting circle that refuses to go home.",
        "authors": ["tomas-albright", "priya-lindqvist"],
        "tags": ["books", "festivals"],
        "days_ago": 6.3,
        "hero": ("#023e8a", "#ade8f4", "deep blue and ice blue", "stripes"),
        "caption": "The reading room of the central library after dark",
        "body": """
<p>Three of the city’s libraries have been staying open until midnight as part of a trial that
ends next month. Librarians say the results have surprised them.</p>
<ul>
<li>Visits after nine in the evening have doubled every month since the trial began.</li>
<li>The busiest hour is ten to eleven, mostly students and workers between shifts.</li>
<li>A knitting circle meets every Wednesday and has asked for a permanent table.</li>
</ul>
<p>Staff volunteered for the late shifts, and the libraries have hired two extra security
guards, who say they have mostly been asked where the toilets are.</p>
<p>The council will decide in the spring whether to keep the late hours. A late-night reading
festival is planned for the last week of the trial.</p>
""",
    },
    {
        "slug": "ticket-lottery-fills-theatre-with-first-timers",
        "section": "culture",
        "title": "A Ticket Lottery Is Filling Theatre Seats With First-Timers",
        "dek": "One theatre gives a fifth of every night’s seats away by lottery. Half the winners "
        "had never seen a play.",
        "authors": ["tomas-albright"],
        "tags": ["theatre", "theo-okafor"],
        "days_ago": 10.4,
        "hero": ("#9d0208", "#ffba08", "crimson and gold", "circles"),
        "caption": "Red velvet seats in the stalls of the Queensway Theatre",
        "body": """
<p>Since the autumn, the Queensway Theatre has given away a fifth of every night’s seats by
lottery. Anyone can enter, once a week, with a name and a postcode. The theatre says half of the
winners had never seen a play before.</p>
<h2>What the winners said</h2>
<blockquote><p>I thought I would need to know the rules. There are no rules. You just sit
there and it happens to you.</p></blockquote>
<p>The actor Theo Okafor, who grew up two streets from the theatre, has paid for the lottery’s
second year. “I saw my first play because a teacher had a spare ticket,” he said. “This is a
spare ticket for everyone.”</p>
<p>Other theatres are watching closely. Two have asked for the lottery’s rules, and one plans to
try a version of it for its Christmas show.</p>
""",
    },
    {
        "slug": "ruby-achterberg-on-letting-caspian-reyes-adapt-her-book",
        "section": "culture",
        "title": "Ruby Achterberg on Letting Caspian Reyes Adapt Her Book",
        "dek": "The novelist explains why she handed over her most personal story, and why she "
        "has not read the script.",
        "authors": ["tomas-albright", "owen-castellan"],
        "tags": ["ruby-achterberg", "caspian-reyes", "books", "film"],
        "days_ago": 16.5,
        "hero": ("#588157", "#dad7cd", "moss green and stone", "peaks"),
        "caption": "A farmhouse kitchen table of the kind the novel describes",
        "body": """
<p>When Caspian Reyes asked to film “The Orchard Year”, Ruby Achterberg said yes within a day.
She has not read the script and says she will not see the film until it is finished.</p>
<p>The novel, about three generations of a family who share one harvest, is the most personal
thing she has written. Her grandmother, she says, “would have hated it and read it twice”.</p>
<blockquote><p>A book belongs to its readers once it is printed. A film belongs to the people who
make it. I would only get in the way.</p></blockquote>
<h2>Three things she asked for</h2>
<ol>
<li>That the orchard be a real orchard, not a set.</li>
<li>That the grandmother keep her temper.</li>
<li>That nobody explain the ending.</li>
</ol>
<p>Reyes has agreed to all three, Achterberg said, “and to a fourth I didn’t ask for: he sends me
a photograph of the trees every week”.</p>
""",
    },
    {
        "slug": "museum-exhibition-you-listen-to-with-eyes-closed",
        "section": "culture",
        "title": "A Museum Exhibition You Listen To With Your Eyes Closed",
        "dek": "Twelve dark rooms, twelve recordings and a band that rebuilt its old songs from "
        "the sounds of the city.",
        "authors": ["tomas-albright", "hazel-moriarty"],
        "tags": ["music", "the-paper-lanterns", "festivals"],
        "days_ago": 22.2,
        "hero": ("#000814", "#ffc300", "black and yellow", "waves"),
        "caption": "A dark gallery room with a single bench",
        "body": """
<p>The new exhibition at the Museum of the City has nothing on its walls. Visitors walk through
twelve dark rooms, sit on a bench in each and listen. Every room plays a recording made in a
different part of the city: a bakery at dawn, a swimming pool, a bus depot at closing time.</p>
<p>The last room holds a surprise. The Paper Lanterns, who have not performed together for a
decade, recorded a new version of one of their old songs using only sounds from the other eleven
rooms.</p>
<blockquote><p>We did not reunite. We just met in a museum and made some noise.</p></blockquote>
<p>The exhibition runs until the end of the year. Entry is free on the first Sunday of each month.</p>
""",
    },
    {
        "slug": "poems-on-the-night-bus-return",
        "section": "culture",
        "title": "Poems on the Night Bus Return After a Decade Away",
        "dek": "Short poems are back above the windows of the city’s night buses, chosen from "
        "four thousand entries by passengers and drivers.",
        "authors": ["tomas-albright"],
        "tags": ["books", "travel"],
        "days_ago": 27.0,
        "hero": ("#3c096c", "#ff9e00", "deep purple and orange", "sun"),
        "caption": "The upper deck of a night bus, lit from inside",
        "body": """
<p>For ten years, the panels above the windows of the city’s night buses carried advertisements.
From this week they carry poems again: fifty short pieces chosen from more than four thousand
entries.</p>
<p>The selection panel included two drivers, a cleaner, a poet and a nine-year-old who was
“ruthless about anything longer than a bus stop”.</p>
<h2>The rules</h2>
<ul>
<li>No more than eight lines.</li>
<li>Readable in the time between two stops.</li>
<li>Nothing that would make a tired person sad on purpose.</li>
</ul>
<p>The poems will change every season. More <a href="/tag/books/">books and poetry</a>.</p>
""",
    },
]
