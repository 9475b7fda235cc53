-- wrk script: POST /match/default with a realistic mix of screening queries, one query per
-- request (as yente's scaling notes advise): real listed names, spelling variants and other
-- scripts, and (most of the traffic, as in real screening) names that are not listed, people
-- with birth dates and companies with countries.
--
--   INTERDICT_KEY=idk_… wrk -t2 -c32 -d60s --latency -s crates/server/bench/match_mix.lua \
--       http://127.0.0.1:8000
--
-- Every response that is not 200 is counted and printed at the end.

local key = os.getenv("INTERDICT_KEY")

local function person(name, dob, country)
  local props = string.format('"name": ["%s"]', name)
  if dob then props = props .. string.format(', "birthDate": ["%s"]', dob) end
  if country then props = props .. string.format(', "nationality": ["%s"]', country) end
  return string.format('{"queries": {"q": {"schema": "Person", "properties": {%s}}}}', props)
end

local function company(name, country)
  local props = string.format('"name": ["%s"]', name)
  if country then props = props .. string.format(', "jurisdiction": ["%s"]', country) end
  return string.format('{"queries": {"q": {"schema": "Company", "properties": {%s}}}}', props)
end

local bodies = {
  -- listed people and organisations, as listed or nearly
  person("Alexander Lukashenko", "1954-08-30", "by"),
  person("Viktor Lukashenko", "1976", "by"),
  person("Arkady Rotenberg", "1951-12-15", "ru"),
  person("Igor Sechin", "1960-09-07", "ru"),
  person("Ramzan Kadyrov", "1976-10-05", "ru"),
  person("Kim Jong Un", "1984-01-08", "kp"),
  person("Nicolas Maduro Moros", "1962-11-23", "ve"),
  person("Bashar al-Assad", "1965-09-11", "sy"),
  company("Naftan OAO", "by"),
  company("Belshina", "by"),
  company("Grodno Azot", "by"),
  company("Rosneft Oil Company", "ru"),
  company("Stroygazmontazh", "ru"),
  company("Islamic Revolutionary Guard Corps", "ir"),
  -- variants: other scripts, romanisations, order, typos
  person("Александр Лукашенко", nil, nil),
  person("Аляксандр Лукашэнка", "1954", nil),
  person("Loukachenko Alexandre", nil, "by"),
  person("Lukaschenko Aleksandr Grigorjewitsch", nil, nil),
  person("Sechin Igor Ivanovich", nil, nil),
  person("Kadyrov Ramzan Akhmatovich", nil, nil),
  person("Rotenberg Arkadiy", "1951", nil),
  company("Naftan Refinery OJSC", nil),
  company("Rosneft", nil),
  person("بشار الأسد", nil, nil),
  -- not listed: customers as a bank sees them
  person("Maria Fernandez Lopez", "1985-03-12", "es"),
  person("John Michael Smith", "1979-11-02", "us"),
  person("Anna Kowalska", "1990-06-21", "pl"),
  person("Mohammed Al Farsi", "1983-01-30", "ae"),
  person("Chen Wei", "1992-08-08", "cn"),
  person("Olena Shevchenko", "1988-04-17", "ua"),
  person("Lars Eriksson", "1971-12-01", "se"),
  person("Sophie Martin", "1995-09-09", "fr"),
  person("Giuseppe Rossi", "1966-02-14", "it"),
  person("Ayse Yilmaz", "1987-07-07", "tr"),
  person("Priya Sharma", "1993-05-25", "in"),
  person("Dmitry Ivanov", "1980-10-10", "ru"),
  person("Siarhei Kavalenka", "1975-03-03", "by"),
  person("Hans Peter Mueller", "1962-01-19", "de"),
  person("Fatima Zahra Benali", "1991-11-11", "ma"),
  person("Kenji Tanaka", "1977-04-04", "jp"),
  person("Ana Paula Souza", "1984-12-24", "br"),
  company("Nordic Timber Trading AB", "se"),
  company("Sunrise Logistics LLC", "us"),
  company("Minsk Bakery Supplies OOO", "by"),
  company("Alpine Dental Clinic GmbH", "ch"),
  company("Green Valley Organic Farms Ltd", "gb"),
  company("Shanghai Precision Tools Co Ltd", "cn"),
  company("Atlas Maritime Services SA", "gr"),
  company("Baltic Amber Jewellery UAB", "lt"),
  company("Riverside Software Solutions Inc", "ca"),
}

local i = 0
local headers = { ["Content-Type"] = "application/json" }
if key then headers["Authorization"] = "ApiKey " .. key end

request = function()
  i = i + 1
  local body = bodies[(i % #bodies) + 1]
  return wrk.format("POST", "/match/default", headers, body)
end

local non200 = 0
response = function(status, hdrs, body)
  if status ~= 200 then
    non200 = non200 + 1
    if non200 <= 3 then io.stderr:write("status " .. status .. ": " .. body .. "\n") end
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  for _, p in pairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("latency p%s %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
