package guard

// entityTable lists well-known names of the news — countries and their
// peoples, capitals, leaders, organisations, companies and outlets — each
// with the forms it takes in the six languages (a trailing * allows any
// ending, for inflected forms). It serves two ends: a form of an entity
// the source names is that name in the target language's usual form
// (Moscú, Moskau, Москва for Moscow), and a form of an entity the source
// does not name is a new name, even where capital letters cannot show it
// (German nouns, lowercase adjectives, scripts without case). Forms
// written in capitals with at most five letters match only capitals, so
// "US" is not the English "us".
//
// The table is general, not fitted to one article: a name missing from it
// is still checked by its spelling against the source.
const entityTable = `
russia: Russia | Russian* | Russians | Rusia | ruso | rusa | rusos | rusas | Rússia | russo | russa | russos | russas | Russie | russe | russes | Russland* | russisch* | Russe | Russen | Россия | России | Россию | Россией | российск* | русск* | РФ
venezuela: Venezuela* | venezolan* | venezuelan* | vénézuélien* | Венесуэл* | венесуэльск*
us: United States | U S | US | USA | America | American* | Americas | EE UU | EEUU | Estados Unidos | estadounidense* | EUA | norte-american* | americano* | americana* | États-Unis | Etats-Unis | américain* | Vereinigte* Staaten | US-amerikanisch* | amerikanisch* | США | Соединённ* Штат* | Соединенн* Штат* | америк* | американск* | Америк*
china: China | Chinese | chino | china | chinos | chinas | chinês | chinesa | chineses | Chine | chinois* | chinesisch* | Китай | Китая | Китае | Китаем | Китаю | китайск* | Beijing | Pekín | Pequim | Pékin | Peking | Пекин*
northkorea: North Korea* | Corea del Norte | norcoreano* | Coreia do Norte | norte-coreano* | Corée du Nord | nord-coréen* | Nordkorea* | nordkoreanisch* | КНДР | Северн* Коре* | северокорейск*
southkorea: South Korea* | Corea del Sur | Coreia do Sul | Corée du Sud | Südkorea* | Южн* Коре*
korea: Korea* | Corea | Coreia | Corée | Коре*
iran: Iran | Iranian | Iranians | Irans | Irán | iraní | iraníes | Irã | iraniano* | iranien* | Иран | Ирана | Ираном | Ирану | Иране | иранск*
iraq: Iraq | Iraqi | Iraqis | Irak | Iraks | Iraque | Ирак | Ирака | Ираке
israel: Israel* | israelí* | israelense* | israélien* | Израил* | израильск*
ukraine: Ukrain* | Ucrania | ucranian* | Ucrânia | ucraniano* | ukrainien* | Украин* | украинск*
belarus: Belarus* | Bielorrusia | Bielorrússia | Biélorussie | Weißrussland | Беларус* | Белорусси*
germany: Germany | German* | Alemania | alemán | alemana | alemanes | Alemanha | alemão | alemães | Allemagne | allemand* | Deutschland* | deutsch* | Nazideutschland* | Герман* | немецк*
nazi: Nazi | Nazis | nazi | nazis | nazie | nazies | nazista | nazistas | nazistisch* | Nazideutschland* | нацистск* | нацистов | нацисты
soviet: Soviet* | Soviet Union | URSS | soviétic* | soviétique* | sowjetisch* | Sowjet* | UdSSR | СССР | советск* | Советск*
france: France | French | Francia | francés | francesa | França | francês | français* | Frankreich* | französisch* | Франци* | французск*
uk: United Kingdom | Britain | British | UK | Reino Unido | británic* | Royaume-Uni | britannique* | Großbritannien | britisch* | Великобритани* | британск*
europe: Europe* | Europa | europe* | europä* | Европ* | европейск*
eu: European Union | EU | UE | Unión Europea | União Europeia | Union européenne | Europäische* Union | ЕС | Евросоюз*
west: West | Western | Westerners | Occidente | occidental* | Ocidente | Occident | Westen | westlich* | Запад* | западн*
latinamerica: Latin America* | América Latina | Latinoamérica | latinoamerican* | latino-american* | Amérique latine | latino-américain* | Lateinamerika* | lateinamerikanisch* | Латинск* Америк* | латиноамериканск*
brazil: Brazil* | Brasil* | brasileñ* | brasileir* | Brésil* | brésilien* | Brasilien* | brasilianisch* | Бразили* | бразильск*
colombia: Colombia* | colombian* | colombien* | Colombie | Kolumbien* | kolumbianisch* | Колумби* | колумбийск*
guyana: Guyana* | Guyane | guyanais* | Гайан* | гайанск*
essequibo: Essequibo | Esequibo | Эссекибо
cuba: Cuba | Cuban | Cubans | cubano* | cubain* | Kuba | Kubas | Куба | Кубы | Кубе | Кубу | кубинск*
nicaragua: Nicaragua* | nicaragüense* | Никарагу*
mexico: Mexico | Mexican* | México | mexican* | Mexique | mexicain* | Mexiko* | Мексик*
argentina: Argentin* | Argentine | Аргентин*
chile: Chile | Chilean | Chileans | chileno* | Chili | chilien* | Чили
peru: Peru | Peruvian | Perú | peruan* | Pérou | Перу
india: India | Indian | Indians | Inde | indien* | Indien | Индия | Индии | Индию | индийск*
turkey: Turkey | Turkish | Turquía | Turquia | Turquie | Türkei | türkisch* | Турци* | турецк*
syria: Syria* | Siria* | Síria | Syrie | Syrien* | Сирия | Сирии
ukraine2: Kyiv | Kiev | Kiew | Киев*
japan: Japan* | Japón | Japão | Japon | Япони*
saudi: Saudi* | saudí* | saudita* | saoudien* | Arabia Saudita | Arábia Saudita | Arabie saoudite | Saudi-Arabien | Саудовск*
moscow: Moscow* | Moscú | Moscou | Moskau* | Москв* | московск*
caracas: Caracas | Каракас*
kremlin: Kremlin* | Kreml* | Кремл*
kazan: Kazan* | Kazán | Kasan | Казан*
washington: Washington* | Вашингтон*
havana: Havana | La Habana | Havane | Havanna | Гаван*
minsk: Minsk | Минск*
putin: Putin* | Poutine | Putins | Путин*
maduro: Maduro* | Мадуро
peskov: Peskov* | Peskow* | Peskof | Песков*
xi: Xi | Xi Jinping | Jinping | Си Цзиньпин* | Цзиньпин*
trump: Trump* | Трамп*
biden: Biden* | Байден*
lula: Lula | Лула
petro: Gustavo Petro | Петро
milei: Milei | Милей
zelensky: Zelensky* | Zelenski* | Selenskyj* | Зеленск*
lukashenko: Lukashenko* | Lukaschenko* | Loukachenko | Лукашенк*
lavrov: Lavrov* | Lawrow* | Лавров*
shoigu: Shoigu | Schoigu | Шойгу
medvedev: Medvedev* | Medwedew* | Медведев*
mishustin: Mishustin* | Мишустин*
erdogan: Erdogan* | Erdoğan* | Эрдоган*
modi: Modi | Моди
macron: Macron* | Макрон*
scholz: Scholz | Шольц*
merz: Merz | Мерц*
khamenei: Khamenei* | Jamenei | Хаменеи
kim: Kim Jong Un | Kim Jong-un | Ким Чен Ын
diazcanel: Díaz-Canel | Диас-Канель
ortega: Daniel Ortega | Ортега
guaido: Guaidó | Guaido | Гуайдо
machado: María Corina Machado | Machado | Мачадо
cabello: Diosdado Cabello | Cabello | Кабельо
padrino: Padrino López | Падрино
chavez: Chávez | Chavez | chavist* | Чавес*
rodriguez: Rodríguez | Rodriguez | Родригес*
gonzalez: González | Gonzalez | Гонсалес*
un: United Nations | UN | U N | ONU | Naciones Unidas | Nações Unidas | Nations unies | Vereinte* Nationen | UNO | ООН
nato: NATO | OTAN | НАТО
opec: OPEC | OPEP | ОПЕК
gecf: Gas Exporting Countries Forum | GECF | Foro de Países Exportadores de Gas | FPEG | Fórum dos Países Exportadores de Gás | Forum des pays exportateurs de gaz | FPEG | Forum Gas exportierender Länder | Forum gasexportierender Länder | ФСЭГ | Форум* стран* экспортер* газа | Форум* стран* экспортёр* газа
brics: BRICS | БРИКС
imf: IMF | International Monetary Fund | FMI | Fondo Monetario | Fundo Monetário | Fonds monétaire | IWF | Internationale* Währungsfonds | МВФ
worldbank: World Bank | Banco Mundial | Banque mondiale | Weltbank | Всемирн* банк*
g7: G7 | G8 | G20 | Г7 | G-7 | G-20
sco: SCO | Shanghai Cooperation | ШОС
oas: OAS | OEA | Organization of American States
celac: CELAC | Mercosur | Mercosul | ALBA
who: World Health Organization | WHO | OMS | ВОЗ
icc: International Criminal Court | ICC | CPI | МУС
pdvsa: PDVSA | ПДВСА
rosneft: Rosneft* | Роснефт*
gazprom: Gazprom* | Газпром*
lukoil: Lukoil | Лукойл*
chevron: Chevron* | Шеврон*
exxon: Exxon* | ExxonMobil | Эксон*
shell: Royal Dutch Shell | Shell
bp: BP | British Petroleum
citgo: Citgo | CITGO
rosoboron: Rosoboronexport | Рособоронэкспорт*
rostec: Rostec | Ростех*
sberbank: Sberbank | Сбербанк*
wagner: Wagner | Вагнер*
reuters: Reuters | Рейтер* | Reuter
bloomberg: Bloomberg | Блумберг*
tass: TASS | ТАСС
riotimes: RIO Times | Rio Times
moscowtimes: The Moscow Times | Moscow Times
ap: Associated Press | AP | АП
afp: AFP | Agence France-Presse | Франс Пресс
ria: RIA Novosti | RIA | РИА*
interfax: Interfax | Интерфакс*
kommersant: Kommersant | Коммерсант*
xinhua: Xinhua | Синьхуа
cnn: CNN | Си-эн-эн
bbc: BBC | Би-би-си
aljazeera: Al Jazeera | Аль-Джазира
rt: Russia Today | RT | Sputnik | Спутник
telesur: Telesur | teleSUR
nyt: New York Times | Нью-Йорк таймс
wsj: Wall Street Journal
ft: Financial Times
guardian: The Guardian
elpais: El País
lemonde: Le Monde
spiegel: Der Spiegel | Spiegel
x: X | Twitter | Твиттер
telegram: Telegram | Телеграм*
victoryday: Victory Day | Día de la Victoria | Dia da Vitória | Jour de la Victoire | fête de la Victoire | Tag des Sieges | День Победы | Дня Победы | Днём Победы | Днем Победы | парад* Победы
ww2: World War II | World War 2 | Second World War | WWII | WW2 | Segunda Guerra Mundial | Seconde Guerre mondiale | Deuxième Guerre mondiale | Zweite* Weltkrieg* | Второй мировой | Вторая мировая | Великой Отечественной | Великая Отечественная
ww1: World War I | First World War | Primera Guerra Mundial | Première Guerre mondiale | Ersten Weltkrieg* | Первой мировой
spca: Strategic Partnership and Cooperation Agreement | Acuerdo de Asociación Estratégica y Cooperación | Acuerdo de Asociación Estratégica y de Cooperación | Acuerdo de Cooperación y Asociación Estratégica | Acordo de Parceria Estratégica e Cooperação | Accord de partenariat stratégique et de coopération | Abkommen über strategische Partnerschaft und Zusammenarbeit | Соглашени* о стратегическом партн*
`
