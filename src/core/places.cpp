#include "core/places.hpp"

#include <utility>

namespace passerelle::core {

namespace {

// NUTS 2021 level-3 regions of France and their départements (matched by name with the official
// geography; Eurostat's NUTS-3 regions of France are exactly the départements).
const std::pair<const char*, const char*> kNuts3[] = {
    {"FR101", "75"},   // Paris
    {"FR102", "77"},   // Seine-et-Marne
    {"FR103", "78"},   // Yvelines
    {"FR104", "91"},   // Essonne
    {"FR105", "92"},   // Hauts-de-Seine
    {"FR106", "93"},   // Seine-Saint-Denis
    {"FR107", "94"},   // Val-de-Marne
    {"FR108", "95"},   // Val-d’Oise
    {"FRB01", "18"},   // Cher
    {"FRB02", "28"},   // Eure-et-Loir
    {"FRB03", "36"},   // Indre
    {"FRB04", "37"},   // Indre-et-Loire
    {"FRB05", "41"},   // Loir-et-Cher
    {"FRB06", "45"},   // Loiret
    {"FRC11", "21"},   // Côte-d’Or
    {"FRC12", "58"},   // Nièvre
    {"FRC13", "71"},   // Saône-et-Loire
    {"FRC14", "89"},   // Yonne
    {"FRC21", "25"},   // Doubs
    {"FRC22", "39"},   // Jura
    {"FRC23", "70"},   // Haute-Saône
    {"FRC24", "90"},   // Territoire de Belfort
    {"FRD11", "14"},   // Calvados
    {"FRD12", "50"},   // Manche
    {"FRD13", "61"},   // Orne
    {"FRD21", "27"},   // Eure
    {"FRD22", "76"},   // Seine-Maritime
    {"FRE11", "59"},   // Nord
    {"FRE12", "62"},   // Pas-de-Calais
    {"FRE21", "02"},   // Aisne
    {"FRE22", "60"},   // Oise
    {"FRE23", "80"},   // Somme
    {"FRF11", "67"},   // Bas-Rhin
    {"FRF12", "68"},   // Haut-Rhin
    {"FRF21", "08"},   // Ardennes
    {"FRF22", "10"},   // Aube
    {"FRF23", "51"},   // Marne
    {"FRF24", "52"},   // Haute-Marne
    {"FRF31", "54"},   // Meurthe-et-Moselle
    {"FRF32", "55"},   // Meuse
    {"FRF33", "57"},   // Moselle
    {"FRF34", "88"},   // Vosges
    {"FRG01", "44"},   // Loire-Atlantique
    {"FRG02", "49"},   // Maine-et-Loire
    {"FRG03", "53"},   // Mayenne
    {"FRG04", "72"},   // Sarthe
    {"FRG05", "85"},   // Vendée
    {"FRH01", "22"},   // Côtes-d’Armor
    {"FRH02", "29"},   // Finistère
    {"FRH03", "35"},   // Ille-et-Vilaine
    {"FRH04", "56"},   // Morbihan
    {"FRI11", "24"},   // Dordogne
    {"FRI12", "33"},   // Gironde
    {"FRI13", "40"},   // Landes
    {"FRI14", "47"},   // Lot-et-Garonne
    {"FRI15", "64"},   // Pyrénées-Atlantiques
    {"FRI21", "19"},   // Corrèze
    {"FRI22", "23"},   // Creuse
    {"FRI23", "87"},   // Haute-Vienne
    {"FRI31", "16"},   // Charente
    {"FRI32", "17"},   // Charente-Maritime
    {"FRI33", "79"},   // Deux-Sèvres
    {"FRI34", "86"},   // Vienne
    {"FRJ11", "11"},   // Aude
    {"FRJ12", "30"},   // Gard
    {"FRJ13", "34"},   // Hérault
    {"FRJ14", "48"},   // Lozère
    {"FRJ15", "66"},   // Pyrénées-Orientales
    {"FRJ21", "09"},   // Ariège
    {"FRJ22", "12"},   // Aveyron
    {"FRJ23", "31"},   // Haute-Garonne
    {"FRJ24", "32"},   // Gers
    {"FRJ25", "46"},   // Lot
    {"FRJ26", "65"},   // Hautes-Pyrénées
    {"FRJ27", "81"},   // Tarn
    {"FRJ28", "82"},   // Tarn-et-Garonne
    {"FRK11", "03"},   // Allier
    {"FRK12", "15"},   // Cantal
    {"FRK13", "43"},   // Haute-Loire
    {"FRK14", "63"},   // Puy-de-Dôme
    {"FRK21", "01"},   // Ain
    {"FRK22", "07"},   // Ardèche
    {"FRK23", "26"},   // Drôme
    {"FRK24", "38"},   // Isère
    {"FRK25", "42"},   // Loire
    {"FRK26", "69"},   // Rhône
    {"FRK27", "73"},   // Savoie
    {"FRK28", "74"},   // Haute-Savoie
    {"FRL01", "04"},   // Alpes-de-Haute-Provence
    {"FRL02", "05"},   // Hautes-Alpes
    {"FRL03", "06"},   // Alpes-Maritimes
    {"FRL04", "13"},   // Bouches-du-Rhône
    {"FRL05", "83"},   // Var
    {"FRL06", "84"},   // Vaucluse
    {"FRM01", "2A"},   // Corse-du-Sud
    {"FRM02", "2B"},   // Haute-Corse
    {"FRY10", "971"},  // Guadeloupe
    {"FRY20", "972"},  // Martinique
    {"FRY30", "973"},  // Guyane
    {"FRY40", "974"},  // La Réunion
    {"FRY50", "976"},  // Mayotte
};

}  // namespace

std::vector<std::string> departements_of_nuts(std::string_view nuts) {
    std::vector<std::string> out;
    if (nuts.size() < 2 || nuts.size() > 5) return out;
    for (const auto& [code, dep] : kNuts3)
        if (std::string_view(code).substr(0, nuts.size()) == nuts) out.emplace_back(dep);
    return out;
}

}  // namespace passerelle::core
