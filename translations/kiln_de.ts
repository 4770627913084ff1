<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>kiln::BuiltinModels</name>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="239"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="239"/>
        <source>Fully connected layers with ReLU, for tabular data or flattened images</source>
        <translation>Vollständig verbundene Schichten mit ReLU, für Tabellendaten oder abgeflachte Bilder</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="241"/>
        <location filename="../core/engines/builtinmodels.cpp" line="278"/>
        <source>Inputs</source>
        <translation>Eingaben</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="242"/>
        <source>Hidden layers (sizes, comma-separated)</source>
        <translation>Verborgene Schichten (Größen, durch Kommas getrennt)</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="243"/>
        <source>Outputs</source>
        <translation>Ausgaben</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="244"/>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="251"/>
        <source>LeNet CNN</source>
        <translation>LeNet-CNN</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="251"/>
        <source>Two convolutions with pooling and three fully connected layers</source>
        <translation>Zwei Faltungen mit Pooling und drei vollständig verbundene Schichten</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="247"/>
        <location filename="../core/engines/builtinmodels.cpp" line="253"/>
        <location filename="../core/engines/builtinmodels.cpp" line="258"/>
        <source>Image channels</source>
        <translation>Bildkanäle</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="245"/>
        <source>CNN</source>
        <translation>CNN</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="245"/>
        <source>Two convolution blocks with batch normalization and pooling, then two fully connected layers</source>
        <translation>Zwei Faltungsblöcke mit Batch-Normalisierung und Pooling, dann zwei vollständig verbundene Schichten</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="248"/>
        <location filename="../core/engines/builtinmodels.cpp" line="254"/>
        <source>Image size</source>
        <translation>Bildgröße</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="249"/>
        <source>Width (channels of the first block)</source>
        <translation>Breite (Kanäle des ersten Blocks)</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="250"/>
        <location filename="../core/engines/builtinmodels.cpp" line="255"/>
        <location filename="../core/engines/builtinmodels.cpp" line="261"/>
        <location filename="../core/engines/builtinmodels.cpp" line="268"/>
        <location filename="../core/engines/builtinmodels.cpp" line="275"/>
        <source>Classes</source>
        <translation>Klassen</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="256"/>
        <source>Small ResNet</source>
        <translation>Kleines ResNet</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="256"/>
        <source>Residual blocks with batch normalization and global pooling</source>
        <translation>Residualblöcke mit Batch-Normalisierung und globalem Pooling</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="259"/>
        <source>Width (channels inside)</source>
        <translation>Breite (Kanäle im Inneren)</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="260"/>
        <source>Residual blocks</source>
        <translation>Residualblöcke</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="262"/>
        <source>LSTM/GRU classifier</source>
        <translation>LSTM/GRU-Klassifikator</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="262"/>
        <source>A recurrent network over sequences; the last step decides</source>
        <translation>Ein rekurrentes Netz über Sequenzen; der letzte Schritt entscheidet</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="264"/>
        <source>Cell (LSTM or GRU)</source>
        <translation>Zelle (LSTM oder GRU)</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="265"/>
        <location filename="../core/engines/builtinmodels.cpp" line="271"/>
        <source>Features per step</source>
        <translation>Merkmale pro Schritt</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="266"/>
        <location filename="../core/engines/builtinmodels.cpp" line="279"/>
        <source>Hidden size</source>
        <translation>Verborgene Größe</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="267"/>
        <location filename="../core/engines/builtinmodels.cpp" line="274"/>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="269"/>
        <source>Transformer classifier</source>
        <translation>Transformer-Klassifikator</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="270"/>
        <source>Transformer encoder layers over sequences, averaged, then a linear head</source>
        <translation>Transformer-Encoder-Schichten über Sequenzen, gemittelt, dann ein linearer Kopf</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="272"/>
        <source>Model width</source>
        <translation>Modellbreite</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="273"/>
        <source>Attention heads</source>
        <translation>Attention-Köpfe</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="276"/>
        <source>Autoencoder</source>
        <translation>Autoencoder</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="276"/>
        <source>Compresses its input to a small code and rebuilds it</source>
        <translation>Verdichtet die Eingabe zu einem kleinen Code und baut sie wieder auf</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="280"/>
        <source>Code size</source>
        <translation>Codegröße</translation>
    </message>
</context>
<context>
    <name>kiln::CellWidget</name>
    <message>
        <location filename="../ui/cellwidget.cpp" line="51"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="53"/>
        <source>%1 s</source>
        <translation>%L1 s</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="54"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="290"/>
        <source>Empty Markdown cell: double-click or press Enter to write</source>
        <translation>Leere Markdown-Zelle: zum Schreiben doppelklicken oder Enter drücken</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="326"/>
        <source>not run yet</source>
        <translation>noch nicht ausgeführt</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="330"/>
        <source>running %1</source>
        <translation>läuft seit %1</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="333"/>
        <source>done in %1</source>
        <translation>fertig in %1</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="334"/>
        <source>error after %1</source>
        <translation>Fehler nach %1</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="335"/>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="339"/>
        <source> · edited since it ran</source>
        <translation> · seit der Ausführung bearbeitet</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="341"/>
        <source> · stale: the runtime restarted since it ran</source>
        <translation> · veraltet: die Laufzeit wurde seit dem Lauf neu gestartet</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="343"/>
        <source> · stale: a cell it reads from changed</source>
        <translation> · veraltet: eine Zelle, aus der sie liest, wurde geändert</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="327"/>
        <source>queued</source>
        <translation>in der Warteschlange</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="336"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>kiln::DatasetReport</name>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="103"/>
        <source>There is only one class, &apos;%1&apos;: a classifier needs at least two.</source>
        <translation>Es gibt nur eine Klasse, „%1“: Ein Klassifikator braucht mindestens zwei.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="117"/>
        <source>Class &apos;%1&apos; has a single example; a class needs at least two, one to train on and one to validate.</source>
        <translation>Klasse „%1“ hat nur ein Beispiel; eine Klasse braucht mindestens zwei, eines zum Trainieren und eines zur Validierung.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="133"/>
        <source>Class &apos;%1&apos; has %2 examples, less than a third of the %3 of class &apos;%4&apos;: the classes are imbalanced.</source>
        <translation>Klasse „%1“ hat %2 Beispiele, weniger als ein Drittel der %3 von Klasse „%4“: Die Klassen sind unausgewogen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="140"/>
        <source>%n more classes have less than a third of the examples of class &apos;%1&apos;.</source>
        <translation>
            <numerusform>%n weitere Klasse hat weniger als ein Drittel der Beispiele von Klasse „%1“.</numerusform>
            <numerusform>%n weitere Klassen haben weniger als ein Drittel der Beispiele von Klasse „%1“.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="253"/>
        <location filename="../core/readers/datasetreport.cpp" line="567"/>
        <source>%1 does not exist.</source>
        <translation>%1 existiert nicht.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="255"/>
        <source>%1 is a folder, not a CSV file.</source>
        <translation>%1 ist ein Ordner, keine CSV-Datei.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="258"/>
        <source>%1 is not a regular file.</source>
        <translation>%1 ist keine gewöhnliche Datei.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="262"/>
        <location filename="../core/readers/datasetreport.cpp" line="765"/>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="267"/>
        <location filename="../core/readers/datasetreport.cpp" line="299"/>
        <source>%1 is empty.</source>
        <translation>%1 ist leer.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="283"/>
        <source>%1 is in UTF-16; save it as UTF-8 to use it.</source>
        <translation>%1 ist in UTF-16 kodiert; speichern Sie die Datei als UTF-8, um sie zu verwenden.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="287"/>
        <source>%1 is not a text file.</source>
        <translation>%1 ist keine Textdatei.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="290"/>
        <source>The first line of %1 is longer than %2 MB; it is not a CSV file.</source>
        <translation>Die erste Zeile von %1 ist länger als %2 MB; das ist keine CSV-Datei.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="306"/>
        <source>%1 cannot be read as CSV: its first line opens a quoted field that is never closed.</source>
        <translation>%1 kann nicht als CSV gelesen werden: Die erste Zeile öffnet ein Feld in Anführungszeichen, das nie geschlossen wird.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="444"/>
        <source>Line %1 opens a quoted field that is never closed; nothing after it can be read.</source>
        <translation>Zeile %1 öffnet ein Feld in Anführungszeichen, das nie geschlossen wird; nichts danach kann gelesen werden.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="449"/>
        <source>There is no column &apos;%1&apos;. The columns are: %2.</source>
        <translation>Es gibt keine Spalte „%1“. Die Spalten sind: %2.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="453"/>
        <source>There are no data rows.</source>
        <translation>Es gibt keine Datenzeilen.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="455"/>
        <source>Only one row of data: too few to train and validate a model on.</source>
        <translation>Nur eine Datenzeile: zu wenig, um ein Modell zu trainieren und zu validieren.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="458"/>
        <source>Only %n rows of data: too few to train and validate a model on.</source>
        <translation>
            <numerusform>Nur %n Datenzeile: zu wenig, um ein Modell zu trainieren und zu validieren.</numerusform>
            <numerusform>Nur %n Datenzeilen: zu wenig, um ein Modell zu trainieren und zu validieren.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="465"/>
        <source>The target &apos;%1&apos; is missing in every row.</source>
        <translation>Die Zielspalte „%1“ hat in keiner Zeile einen Wert.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="469"/>
        <source>The target &apos;%1&apos; has the same value, %2, in every row: there is nothing to learn.</source>
        <translation>Die Zielspalte „%1“ hat in jeder Zeile denselben Wert, %2: Es gibt nichts zu lernen.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="475"/>
        <source>The target &apos;%1&apos; has more than %2 different values: too many classes. Is it a name or an identifier rather than a category?</source>
        <translation>Die Zielspalte „%1“ hat mehr als %2 verschiedene Werte: zu viele Klassen. Enthält sie eher Namen oder Kennungen als Kategorien?</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="481"/>
        <source>The target &apos;%1&apos; is missing in %2 of %3 rows (%4%); those rows are dropped.</source>
        <translation>Die Zielspalte „%1“ fehlt in %2 von %3 Zeilen (%4 %); diese Zeilen werden verworfen.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="489"/>
        <source>No feature columns: no column other than the target holds only numbers.</source>
        <translation>Keine Merkmalsspalten: Außer der Zielspalte enthält keine Spalte nur Zahlen.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="494"/>
        <source>The row on line %1 has a different number of fields than the %2 columns and is skipped.</source>
        <translation>Zeile %1 hat eine andere Anzahl Felder als die %2 Spalten und wird übersprungen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="500"/>
        <source>%n rows have a different number of fields than the %1 columns and are skipped; the first is on line %2.</source>
        <translation>
            <numerusform>%n Zeile hat eine andere Anzahl Felder als die %1 Spalten und wird übersprungen; die erste steht in Zeile %2.</numerusform>
            <numerusform>%n Zeilen haben eine andere Anzahl Felder als die %1 Spalten und werden übersprungen; die erste steht in Zeile %2.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="527"/>
        <source>Column &apos;%1&apos; holds text, so it is not used as a feature.</source>
        <translation>Spalte „%1“ enthält Text und wird daher nicht als Merkmal verwendet.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="530"/>
        <source>Column &apos;%1&apos; has values that are not numbers, such as &apos;%2&apos; (%3 of %4), so it is not used as a feature.</source>
        <translation>Spalte „%1“ hat Werte, die keine Zahlen sind, etwa „%2“ (%3 von %4), und wird daher nicht als Merkmal verwendet.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="535"/>
        <source>%n more columns hold text and are not used as features.</source>
        <translation>
            <numerusform>%n weitere Spalte enthält Text und wird nicht als Merkmal verwendet.</numerusform>
            <numerusform>%n weitere Spalten enthalten Text und werden nicht als Merkmale verwendet.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="537"/>
        <source>Column &apos;%1&apos; is empty: every value is missing.</source>
        <translation>Spalte „%1“ ist leer: Alle Werte fehlen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="538"/>
        <source>%n more columns are empty.</source>
        <translation>
            <numerusform>%n weitere Spalte ist leer.</numerusform>
            <numerusform>%n weitere Spalten sind leer.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="540"/>
        <source>Column &apos;%1&apos; is missing %2 of %3 values (%4%); training fills them with the mean of the training rows.</source>
        <translation>In Spalte „%1“ fehlen %2 von %3 Werten (%4 %); das Training füllt sie mit dem Mittelwert der Trainingszeilen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="545"/>
        <source>%n more columns have missing values, filled with the mean of the training rows.</source>
        <translation>
            <numerusform>%n weitere Spalte hat fehlende Werte, die mit dem Mittelwert der Trainingszeilen gefüllt werden.</numerusform>
            <numerusform>%n weitere Spalten haben fehlende Werte, die mit dem Mittelwert der Trainingszeilen gefüllt werden.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="547"/>
        <source>Column &apos;%1&apos; has the same value, %2, in every row; it carries no information.</source>
        <translation>Spalte „%1“ hat in jeder Zeile denselben Wert, %2; sie trägt keine Information.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="550"/>
        <source>%n more columns have the same value in every row.</source>
        <translation>
            <numerusform>%n weitere Spalte hat in jeder Zeile denselben Wert.</numerusform>
            <numerusform>%n weitere Spalten haben in jeder Zeile denselben Wert.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="553"/>
        <source>The first row holds data, not column names, so the columns are named %1 to %2.</source>
        <translation>Die erste Zeile enthält Daten statt Spaltennamen, daher heißen die Spalten %1 bis %2.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="569"/>
        <source>%1 is not a folder.</source>
        <translation>%1 ist kein Ordner.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="581"/>
        <source>The folder has no class subfolders: put the images of each class in a folder named after the class.</source>
        <translation>Der Ordner hat keine Klassen-Unterordner: Legen Sie die Bilder jeder Klasse in einen Ordner, der wie die Klasse heißt.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="648"/>
        <source>There are no images in the class folders.</source>
        <translation>In den Klassenordnern sind keine Bilder.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="650"/>
        <source>Only one image: too few to train and validate a model on.</source>
        <translation>Nur ein Bild: zu wenig, um ein Modell zu trainieren und zu validieren.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="653"/>
        <source>Only %n images: too few to train and validate a model on.</source>
        <translation>
            <numerusform>Nur %n Bild: zu wenig, um ein Modell zu trainieren und zu validieren.</numerusform>
            <numerusform>Nur %n Bilder: zu wenig, um ein Modell zu trainieren und zu validieren.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="658"/>
        <source>&apos;%1&apos; cannot be read as an image; training would stop there.</source>
        <translation>„%1“ kann nicht als Bild gelesen werden; das Training würde dort abbrechen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="662"/>
        <source>%n files cannot be read as images, such as &apos;%1&apos;; training would stop there.</source>
        <translation>
            <numerusform>%n Datei kann nicht als Bild gelesen werden, etwa „%1“; das Training würde dort abbrechen.</numerusform>
            <numerusform>%n Dateien können nicht als Bilder gelesen werden, etwa „%1“; das Training würde dort abbrechen.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="670"/>
        <source>Class folder &apos;%1&apos; has no images.</source>
        <translation>Der Klassenordner „%1“ enthält keine Bilder.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="674"/>
        <source>%n more class folders have no images.</source>
        <translation>
            <numerusform>%n weiterer Klassenordner enthält keine Bilder.</numerusform>
            <numerusform>%n weitere Klassenordner enthalten keine Bilder.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="697"/>
        <source>Image &apos;%1&apos; is %2 while the others are %3; images are resized to one size for training.</source>
        <translation>Bild „%1“ ist %2, die anderen sind %3; für das Training werden die Bilder auf eine Größe skaliert.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="702"/>
        <source>%n images are not %1 like most, such as &apos;%2&apos; (%3); images are resized to one size for training.</source>
        <translation>
            <numerusform>%n Bild ist nicht %1 wie die meisten, etwa „%2“ (%3); für das Training werden die Bilder auf eine Größe skaliert.</numerusform>
            <numerusform>%n Bilder sind nicht %1 wie die meisten, etwa „%2“ (%3); für das Training werden die Bilder auf eine Größe skaliert.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="710"/>
        <source>&apos;%1&apos; is not an image and is skipped.</source>
        <translation>„%1“ ist kein Bild und wird übersprungen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="713"/>
        <source>%n files in the class folders are not images and are skipped, such as &apos;%1&apos;.</source>
        <translation>
            <numerusform>%n Datei in den Klassenordnern ist kein Bild und wird übersprungen, etwa „%1“.</numerusform>
            <numerusform>%n Dateien in den Klassenordnern sind keine Bilder und werden übersprungen, etwa „%1“.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="734"/>
        <source>Fashion-MNIST is not installed in %1: install the Debian package dataset-fashion-mnist.</source>
        <translation>Fashion-MNIST ist nicht in %1 installiert: Installieren Sie das Debian-Paket dataset-fashion-mnist.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="753"/>
        <source>%1 is missing from %2: install the Debian package dataset-fashion-mnist.</source>
        <translation>%1 fehlt in %2: Installieren Sie das Debian-Paket dataset-fashion-mnist.</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="781"/>
        <source>%1 does not hold Fashion-MNIST labels.</source>
        <translation>%1 enthält keine Fashion-MNIST-Labels.</translation>
    </message>
</context>
<context>
    <name>kiln::DevicePicker</name>
    <message>
        <location filename="../ui/devicepicker.cpp" line="28"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="31"/>
        <source>GPU %1: %2 (%3)</source>
        <translation>GPU %1: %2 (%3)</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="32"/>
        <source>GPU %1: %2</source>
        <translation>GPU %1: %2</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="34"/>
        <source>%1, compute capability %2.%3</source>
        <translation>%1, Compute Capability %2.%3</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="37"/>
        <source>No GPU: %1</source>
        <translation>Keine GPU: %1</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="38"/>
        <source>The CPU or the GPU the run computes on</source>
        <translation>Die CPU oder die GPU, auf der der Lauf rechnet</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="79"/>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="81"/>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
</context>
<context>
    <name>kiln::ErrorOutputView</name>
    <message>
        <location filename="../ui/erroroutputview.cpp" line="40"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/erroroutputview.cpp" line="52"/>
        <source>line %1</source>
        <translation>Zeile %1</translation>
    </message>
    <message>
        <location filename="../ui/erroroutputview.cpp" line="53"/>
        <source>Go to line %1 of the cell</source>
        <translation>Zu Zeile %1 der Zelle springen</translation>
    </message>
    <message>
        <location filename="../ui/erroroutputview.cpp" line="74"/>
        <source>Traceback</source>
        <translation>Traceback</translation>
    </message>
</context>
<context>
    <name>kiln::FindBar</name>
    <message>
        <location filename="../ui/findbar.cpp" line="27"/>
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="30"/>
        <source>Replace with</source>
        <translation>Ersetzen durch</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="31"/>
        <source>Match case</source>
        <translation>Groß-/Kleinschreibung</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="32"/>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="33"/>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="34"/>
        <source>Replace All</source>
        <translation>Alle ersetzen</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="35"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="102"/>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="120"/>
        <source>Replace all</source>
        <translation>Alle ersetzen</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/findbar.cpp" line="131"/>
        <source>%n replaced</source>
        <translation>
            <numerusform>%n ersetzt</numerusform>
            <numerusform>%n ersetzt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kiln::HubPanel</name>
    <message>
        <location filename="../ui/hubpanel.cpp" line="37"/>
        <source>New Task Cell</source>
        <translation>Neue Aufgabenzelle</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="39"/>
        <source>Adds a Task cell that runs this model below the current cell</source>
        <translation>Fügt unter der aktuellen Zelle eine Aufgabenzelle hinzu, die dieses Modell ausführt</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="40"/>
        <source>Show Folder</source>
        <translation>Ordner zeigen</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="41"/>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="51"/>
        <source>search the Hub, e.g. MiniLM</source>
        <translation>im Hub suchen, z. B. MiniLM</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="54"/>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="62"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="65"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="116"/>
        <source>Models from the Hugging Face Hub, in its cache (%1), shared with Python&apos;s transformers. Search the Hub to download one.</source>
        <translation>Modelle aus dem Hugging Face Hub in seinem Cache (%1), den auch Pythons transformers nutzt. Durchsuchen Sie den Hub, um eines herunterzuladen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/hubpanel.cpp" line="127"/>
        <source>%1
%2 in %n snapshot(s); %3
Task: %4
%5</source>
        <translation>
            <numerusform>%1
%2 in %n Snapshot; %3
Aufgabe: %4
%5</numerusform>
            <numerusform>%1
%2 in %n Snapshots; %3
Aufgabe: %4
%5</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="130"/>
        <source>not known from its files</source>
        <translation>aus den Dateien nicht erkennbar</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="134"/>
        <source>%1 is no longer in the cache.</source>
        <translation>%1 ist nicht mehr im Cache.</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="181"/>
        <source>Searching the Hub for “%1”…</source>
        <translation>Suche im Hub nach „%1“…</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="194"/>
        <source>%1 · %2 downloads</source>
        <translation>%1 · %2 Downloads</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="195"/>
        <source>%1 · %2 · %3 downloads</source>
        <translation>%1 · %2 · %3 Downloads</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/hubpanel.cpp" line="199"/>
        <source>%n model(s) found</source>
        <translation>
            <numerusform>%n Modell gefunden</numerusform>
            <numerusform>%n Modelle gefunden</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="209"/>
        <source>Downloading %1…</source>
        <translation>%1 wird heruntergeladen…</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="210"/>
        <source>Downloading %1 from the Hugging Face Hub…</source>
        <translation>%1 wird aus dem Hugging Face Hub heruntergeladen…</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="223"/>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="226"/>
        <source>Downloading %1 — %2</source>
        <translation>%1 wird heruntergeladen — %2</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="238"/>
        <source>%1 is in the cache: %2</source>
        <translation>%1 ist im Cache: %2</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="256"/>
        <source>Delete Model</source>
        <translation>Modell löschen</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="257"/>
        <source>Delete %1 from the Hugging Face cache? Python&apos;s transformers uses the same cache.</source>
        <translation>%1 aus dem Hugging-Face-Cache löschen? Pythons transformers nutzt denselben Cache.</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="266"/>
        <source>Deleted %1 (%2)</source>
        <translation>%1 gelöscht (%2)</translation>
    </message>
</context>
<context>
    <name>kiln::ImageOutputView</name>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="31"/>
        <source>The image could not be decoded.</source>
        <translation>Das Bild konnte nicht dekodiert werden.</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="32"/>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 Pixel</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="45"/>
        <source>&amp;Copy Image</source>
        <translation>Bild &amp;kopieren</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="46"/>
        <source>&amp;Save Image…</source>
        <translation>Bild &amp;speichern…</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="47"/>
        <source>image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="48"/>
        <location filename="../ui/imageoutputview.cpp" line="51"/>
        <source>Save Image</source>
        <translation>Bild speichern</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="49"/>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="51"/>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="111"/>
        <source>[image could not be decoded]</source>
        <translation>[Bild konnte nicht dekodiert werden]</translation>
    </message>
</context>
<context>
    <name>kiln::InferencePanel</name>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="103"/>
        <source>Choose model…</source>
        <translation>Modell wählen…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="105"/>
        <source>Choose a TorchScript model</source>
        <translation>TorchScript-Modell wählen</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="101"/>
        <source>Drop a TorchScript model (.pt) or an AOTInductor package (.pt2) here, or choose one.</source>
        <translation>Ein TorchScript-Modell (.pt) oder ein AOTInductor-Paket (.pt2) hier ablegen oder auswählen.</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="84"/>
        <source>Not loaded: %1</source>
        <translation>Nicht geladen: %1</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="106"/>
        <source>Models (*.pt *.pth *.pt2)</source>
        <translation>Modelle (*.pt *.pth *.pt2)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="117"/>
        <source>A model from the notebook&apos;s runtime</source>
        <translation>Ein Modell aus der Laufzeit des Notizbuchs</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="120"/>
        <source>The shape of one example input, to trace the model with</source>
        <translation>Die Form einer Beispieleingabe, mit der das Modell aufgezeichnet wird</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="121"/>
        <source>Use</source>
        <translation>Verwenden</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="122"/>
        <source>From the notebook:</source>
        <translation>Aus dem Notizbuch:</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="140"/>
        <source>Images, folders of images, CSV files (a row per sample) or tensors saved with torch.save</source>
        <translation>Bilder, Bildordner, CSV-Dateien (eine Zeile pro Beispiel) oder mit torch.save gespeicherte Tensoren</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="142"/>
        <source>Inputs (drop files or folders here):</source>
        <translation>Eingaben (Dateien oder Ordner hierher ziehen):</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="154"/>
        <source>Add files…</source>
        <translation>Dateien hinzufügen…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="155"/>
        <source>Add folder…</source>
        <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="156"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="162"/>
        <source>Add inputs</source>
        <translation>Eingaben hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="163"/>
        <source>Inputs (*.png *.jpg *.jpeg *.bmp *.csv *.tsv *.pt);;All files (*)</source>
        <translation>Eingaben (*.png *.jpg *.jpeg *.bmp *.csv *.tsv *.pt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="166"/>
        <source>Add a folder of images</source>
        <translation>Bildordner hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="179"/>
        <source>own size, or e.g. 28x28</source>
        <translation>eigene Größe oder z. B. 28x28</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="182"/>
        <source>As the image is</source>
        <translation>Wie im Bild</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="183"/>
        <source>Grayscale</source>
        <translation>Graustufen</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="184"/>
        <source>RGB</source>
        <translation>RGB</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="187"/>
        <source>A number or a fraction, e.g. 1/255</source>
        <translation>Eine Zahl oder ein Bruch, z. B. 1/255</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="196"/>
        <source>Resize to</source>
        <translation>Skalieren auf</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="197"/>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="198"/>
        <source>Scale</source>
        <translation>Faktor</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="199"/>
        <source>Mean</source>
        <translation>Mittelwert</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="200"/>
        <source>Std</source>
        <translation>Standardabweichung</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="203"/>
        <source>all numeric columns, or e.g. x1, x2, x3</source>
        <translation>alle numerischen Spalten oder z. B. x1, x2, x3</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="204"/>
        <source>CSV columns</source>
        <translation>CSV-Spalten</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="205"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="206"/>
        <source>Batch size</source>
        <translation>Batchgröße</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="209"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="212"/>
        <source>Class labels, one per line (or drop a .txt file)</source>
        <translation>Klassennamen, einer pro Zeile (oder eine .txt-Datei hierher ziehen)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="233"/>
        <source>Task:</source>
        <translation>Aufgabe:</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="236"/>
        <source>labels to choose from, separated by commas</source>
        <translation>Labels zur Auswahl, durch Kommas getrennt</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="237"/>
        <source>Labels:</source>
        <translation>Labels:</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="241"/>
        <source>Top k:</source>
        <translation>Top k:</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="246"/>
        <source>Use a TorchScript Model</source>
        <translation>TorchScript-Modell nutzen</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="254"/>
        <source>Image files, one a line (or drop them here)</source>
        <translation>Bilddateien, eine pro Zeile (oder hierher ziehen)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="254"/>
        <source>Texts, one a line</source>
        <translation>Texte, einer pro Zeile</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="263"/>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="264"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="265"/>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="277"/>
        <source>Export predictions</source>
        <translation>Vorhersagen exportieren</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="279"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="281"/>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="312"/>
        <source>Reading %1 in a separate process first...</source>
        <translation>%1 wird zuerst in einem eigenen Prozess gelesen...</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="317"/>
        <source>Model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="330"/>
        <source>Expects %1</source>
        <translation>Erwartet %1</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="332"/>
        <source>forward(%1): the inputs below go to %2</source>
        <translation>forward(%1): die Eingaben unten gehen an %2</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="338"/>
        <source>a CSV file or a torch.save tensor</source>
        <translation>eine CSV-Datei oder ein torch.save-Tensor</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="339"/>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="343"/>
        <source>Choose an input</source>
        <translation>Eingabe wählen</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="344"/>
        <source>Inputs (*.csv *.tsv *.pt);;All files (*)</source>
        <translation>Eingaben (*.csv *.tsv *.pt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="417"/>
        <source>%1 · %2×%3</source>
        <translation>%1 · %2×%3</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="555"/>
        <source>Hugging Face model %1: choose its task.</source>
        <translation>Hugging-Face-Modell %1: Wählen Sie seine Aufgabe.</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="556"/>
        <source>Hugging Face model %1</source>
        <translation>Hugging-Face-Modell %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/inferencepanel.cpp" line="613"/>
        <source>Running %1 on %n input(s)…</source>
        <translation>
            <numerusform>%1 läuft auf %n Eingabe…</numerusform>
            <numerusform>%1 läuft auf %n Eingaben…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/inferencepanel.cpp" line="641"/>
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n Ergebnis</numerusform>
            <numerusform>%n Ergebnisse</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="666"/>
        <source>Loading the model…</source>
        <translation>Modell wird geladen…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="697"/>
        <source>%1 of %2 samples, %3 samples/s</source>
        <translation>%1 von %2 Beispielen, %3 Beispiele/s</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="628"/>
        <location filename="../ui/inferencepanel.cpp" line="725"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="731"/>
        <source>%1 samples in %2 s (%3 samples/s)</source>
        <translation>%1 Beispiele in %2 s (%3 Beispiele/s)</translation>
    </message>
</context>
<context>
    <name>kiln::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="604"/>
        <source>Runtime: idle</source>
        <translation>Laufzeit: bereit</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="115"/>
        <location filename="../ui/mainwindowfiles.cpp" line="170"/>
        <source>Untitled notebook</source>
        <translation>Unbenanntes Notizbuch</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="181"/>
        <source>Runtime restarted: every cell that ran is now stale</source>
        <translation>Laufzeit neu gestartet: alle ausgeführten Zellen sind jetzt veraltet</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="185"/>
        <source>%1. Every cell that ran is now stale; the next run starts a fresh runtime.</source>
        <translation>%1. Alle bereits ausgeführten Zellen sind jetzt veraltet; der nächste Lauf startet eine neue Laufzeit.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="190"/>
        <source>The cell did not stop within %1 s of Interrupt. Force Stop ends its runtime; its variables are lost.</source>
        <translation>Die Zelle hat %1 s nach „Unterbrechen“ nicht angehalten. „Hart beenden“ beendet ihre Laufzeit; ihre Variablen gehen verloren.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="194"/>
        <source>Not responding to Interrupt</source>
        <translation>Reagiert nicht auf „Unterbrechen“</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="230"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="231"/>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="233"/>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="235"/>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="236"/>
        <source>E&amp;xamples</source>
        <translation>&amp;Beispiele</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="246"/>
        <source>&amp;Welcome Page</source>
        <translation>&amp;Willkommensseite</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="249"/>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="251"/>
        <source>Save &amp;As…</source>
        <translation>Speichern &amp;unter…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="255"/>
        <source>Save &amp;with Outputs</source>
        <translation>Mit Ausgaben &amp;speichern</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="260"/>
        <source>&amp;Keep Outputs in the File</source>
        <translation>Ausgaben in der Datei &amp;behalten</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="262"/>
        <source>Save each cell&apos;s outputs with the notebook (as HTML comments Markdown viewers hide)</source>
        <translation>Die Ausgaben jeder Zelle mit dem Notizbuch speichern (als HTML-Kommentare, die Markdown-Betrachter ausblenden)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="271"/>
        <source>&amp;Export as Markdown with Outputs…</source>
        <translation>Als Markdown mit Ausgaben &amp;exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="274"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="277"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="278"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="281"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="287"/>
        <source>&amp;Preferences...</source>
        <translation>&amp;Einstellungen...</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="292"/>
        <source>Insert Code Cell &amp;Above</source>
        <translation>Code-Zelle &amp;oberhalb einfügen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="294"/>
        <source>Insert Code Cell &amp;Below</source>
        <translation>Code-Zelle &amp;unterhalb einfügen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="296"/>
        <source>Insert &amp;Markdown Cell Below</source>
        <translation>&amp;Markdown-Zelle unterhalb einfügen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="298"/>
        <source>Insert &amp;Section Below</source>
        <translation>&amp;Abschnitt unterhalb einfügen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="300"/>
        <source>Insert &amp;Task Cell Below</source>
        <translation>&amp;Aufgabenzelle darunter einfügen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="302"/>
        <source>&amp;Delete Cell</source>
        <translation>Zelle &amp;löschen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="305"/>
        <source>Restore Deleted &amp;Cell</source>
        <translation>Gelöschte Zelle wieder&amp;herstellen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="307"/>
        <source>Move Cell &amp;Up</source>
        <translation>Zelle nach o&amp;ben</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="309"/>
        <source>Move Cell Do&amp;wn</source>
        <translation>Zelle nach un&amp;ten</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="312"/>
        <source>S&amp;plit Cell at Cursor</source>
        <translation>Zelle am &amp;Cursor teilen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="315"/>
        <source>Merge with &amp;Next Cell</source>
        <translation>Mit &amp;nächster Zelle zusammenführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="318"/>
        <source>Convert to C&amp;ode</source>
        <translation>In Co&amp;de umwandeln</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="320"/>
        <source>Convert to Mar&amp;kdown</source>
        <translation>In Mar&amp;kdown umwandeln</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="323"/>
        <source>&amp;Find and Replace…</source>
        <translation>&amp;Suchen und Ersetzen…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="326"/>
        <source>&amp;Run</source>
        <translation>A&amp;usführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="327"/>
        <source>Run &amp;Cell</source>
        <translation>&amp;Zelle ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="330"/>
        <source>Run Cell and &amp;Advance</source>
        <translation>Zelle ausführen und &amp;weiter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="336"/>
        <source>Run &amp;All</source>
        <translation>&amp;Alle ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="338"/>
        <source>Run All &amp;Stale</source>
        <translation>Alle &amp;veralteten ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="342"/>
        <source>&amp;Interrupt</source>
        <translation>&amp;Unterbrechen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="348"/>
        <source>&amp;Force Stop</source>
        <translation>&amp;Hart beenden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="349"/>
        <source>End the runtime of a cell that does not answer Interrupt (its variables are lost)</source>
        <translation>Die Laufzeit einer Zelle beenden, die nicht auf „Unterbrechen“ reagiert (ihre Variablen gehen verloren)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="351"/>
        <source>&amp;Restart Runtime</source>
        <translation>Laufzeit &amp;neu starten</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="353"/>
        <source>Restart and Run A&amp;ll</source>
        <translation>Neu starten und a&amp;lle ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="356"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="359"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="362"/>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="374"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="374"/>
        <source>Kiln will use the new language from its next start.</source>
        <translation>Kiln verwendet die neue Sprache ab dem nächsten Start.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="379"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="380"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="383"/>
        <source>&amp;About Kiln</source>
        <translation>Ü&amp;ber Kiln</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="389"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="389"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="390"/>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="390"/>
        <source>Run All</source>
        <translation>Alle ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="391"/>
        <source>Run Stale</source>
        <translation>Veraltete ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="391"/>
        <source>Interrupt</source>
        <translation>Unterbrechen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="392"/>
        <location filename="../ui/mainwindowcells.cpp" line="179"/>
        <source>Restart</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="396"/>
        <source>Notebook</source>
        <translation>Notizbuch</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="412"/>
        <source>Outline</source>
        <translation>Gliederung</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="466"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="493"/>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="502"/>
        <source>Inference</source>
        <translation>Inferenz</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="505"/>
        <source>Variables</source>
        <translation>Variablen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="573"/>
        <source>GPU memory held by the training and inference panels&apos; tensors</source>
        <translation>GPU-Speicher, den die Tensoren des Trainings- und des Inferenzfensters belegen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="601"/>
        <source>Runtime: starting</source>
        <translation>Laufzeit: startet</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/mainwindow.cpp" line="610"/>
        <source>Runtime: busy, %n queued</source>
        <translation>
            <numerusform>Laufzeit: beschäftigt, %n wartet</numerusform>
            <numerusform>Laufzeit: beschäftigt, %n warten</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="616"/>
        <source>code cell %1 running for %2 s</source>
        <translation>Codezelle %1 läuft seit %2 s</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="623"/>
        <source>Memory: %1 MB, runtime %2 MB</source>
        <translation>Speicher: %1 MB, Laufzeit %2 MB</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="625"/>
        <source>Memory: %1 MB</source>
        <translation>Speicher: %L1 MB</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="626"/>
        <source>Resident memory of the window and of the notebook&apos;s runtime process</source>
        <translation>Belegter Speicher des Fensters und des Laufzeitprozesses des Notizbuchs</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="631"/>
        <source>Sandboxed</source>
        <translation>In der Sandbox</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="631"/>
        <source>No sandbox</source>
        <translation>Keine Sandbox</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="644"/>
        <source>GPU %1: %2</source>
        <translation>GPU %1: %2</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="60"/>
        <source>No recent notebooks</source>
        <translation>Keine zuletzt geöffneten Notizbücher</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="68"/>
        <source>Cannot open notebook</source>
        <translation>Notizbuch kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="81"/>
        <source>Cannot open the example</source>
        <translation>Das Beispiel lässt sich nicht öffnen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="139"/>
        <source>Recover notebook</source>
        <translation>Notizbuch wiederherstellen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="140"/>
        <source>Kiln closed without saving &quot;%1&quot; (last autosaved %2). Recover the unsaved changes?</source>
        <translation>Kiln wurde beendet, ohne „%1“ zu speichern (zuletzt automatisch gespeichert: %2). Die ungespeicherten Änderungen wiederherstellen?</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="147"/>
        <source>Cannot recover notebook</source>
        <translation>Notizbuch kann nicht wiederhergestellt werden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="187"/>
        <source>Cannot save notebook</source>
        <translation>Notizbuch kann nicht gespeichert werden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="192"/>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="198"/>
        <source>Save notebook</source>
        <translation>Notizbuch speichern</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="199"/>
        <source>Kiln notebooks (*.kiln.md)</source>
        <translation>Kiln-Notizbücher (*.kiln.md)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="213"/>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="214"/>
        <source>Save the changes to this notebook?</source>
        <translation>Änderungen an diesem Notizbuch speichern?</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="225"/>
        <source>Open notebook</source>
        <translation>Notizbuch öffnen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="226"/>
        <source>Kiln notebooks (*.kiln.md);;Markdown (*.md)</source>
        <translation>Kiln-Notizbücher (*.kiln.md);;Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="236"/>
        <source>Export as Markdown</source>
        <translation>Als Markdown exportieren</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="237"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="243"/>
        <source>Cannot export</source>
        <translation>Export nicht möglich</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="246"/>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="303"/>
        <location filename="../ui/mainwindowfiles.cpp" line="346"/>
        <source>Train a model on it (Training panel)</source>
        <translation>Ein Modell damit trainieren (Training-Panel)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="304"/>
        <source>Load it in a new cell</source>
        <translation>In einer neuen Zelle laden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="317"/>
        <source>Show its report in a new cell (columns, classes, problems)</source>
        <translation>Ihren Bericht in einer neuen Zelle zeigen (Spalten, Klassen, Probleme)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="326"/>
        <source>Inspect it (Models)</source>
        <translation>Untersuchen (Modelle)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="330"/>
        <source>Run inference with it</source>
        <translation>Inferenz damit ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="336"/>
        <source>Insert code that loads it</source>
        <translation>Code einfügen, der es lädt</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="338"/>
        <source>Classify with a model (Inference panel)</source>
        <translation>Mit einem Modell klassifizieren (Inferenz-Panel)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="343"/>
        <source>Load it as a dataset (one subfolder per class)</source>
        <translation>Als Datensatz laden (ein Unterordner je Klasse)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="348"/>
        <source>Show it in a new cell</source>
        <translation>In einer neuen Zelle zeigen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="372"/>
        <source>Kiln does not know what to do with %1</source>
        <translation>Kiln weiß nicht, was mit %1 anzufangen ist</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="37"/>
        <source>New section</source>
        <translation>Neuer Abschnitt</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="62"/>
        <source>Cell deleted; press z or Edit &gt; Restore Deleted Cell to bring it back</source>
        <translation>Zelle gelöscht; mit z oder Bearbeiten &gt; Gelöschte Zelle wiederherstellen zurückholen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="102"/>
        <source>Split cell</source>
        <translation>Zelle teilen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="115"/>
        <source>Merge cells</source>
        <translation>Zellen zusammenführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="167"/>
        <source>No stale cells</source>
        <translation>Keine veralteten Zellen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="174"/>
        <source>Restart the runtime?</source>
        <translation>Laufzeit neu starten?</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="175"/>
        <source>Restarting forgets every variable the notebook made. The cells that ran stay on the page but become stale until they run again.</source>
        <translation>Ein Neustart vergisst alle Variablen, die das Notizbuch angelegt hat. Die ausgeführten Zellen bleiben stehen, sind aber veraltet, bis sie wieder laufen.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="181"/>
        <source>Don&apos;t ask again</source>
        <translation>Nicht mehr fragen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowqueries.cpp" line="78"/>
        <source>Cannot trace the notebook model: %1</source>
        <translation>Das Notizbuchmodell lässt sich nicht aufzeichnen: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowqueries.cpp" line="104"/>
        <source>Not shown: the queue of cells was cancelled. Select the variable again.</source>
        <translation>Nicht angezeigt: Die Warteschlange der Zellen wurde abgebrochen. Wählen Sie die Variable erneut.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="257"/>
        <source>[... earlier output dropped ...]
</source>
        <translation>[... frühere Ausgabe ausgelassen ...]
</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="708"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="712"/>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="712"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="714"/>
        <source>Shift+Enter</source>
        <translation>Umschalt+Enter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="714"/>
        <source>Run the cell and move to the next one</source>
        <translation>Zelle ausführen und zur nächsten wechseln</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="715"/>
        <source>Ctrl+Enter</source>
        <translation>Strg+Enter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="715"/>
        <source>Run the cell</source>
        <translation>Zelle ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="716"/>
        <source>Ctrl+Shift+Enter</source>
        <translation>Strg+Umschalt+Enter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="716"/>
        <source>Run all stale cells</source>
        <translation>Alle veralteten Zellen ausführen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="717"/>
        <source>Ctrl+.</source>
        <translation>Strg+.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="717"/>
        <source>Interrupt the running cell</source>
        <translation>Laufende Zelle unterbrechen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="718"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="718"/>
        <source>Leave the editor (navigation mode)</source>
        <translation>Editor verlassen (Navigationsmodus)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="719"/>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="719"/>
        <source>Edit the selected cell</source>
        <translation>Ausgewählte Zelle bearbeiten</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="720"/>
        <source>j / k, Down / Up</source>
        <translation>j / k, ↓ / ↑</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="720"/>
        <source>Select the next / previous cell</source>
        <translation>Nächste / vorherige Zelle auswählen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="721"/>
        <source>a / b</source>
        <translation>a / b</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="721"/>
        <source>Insert a code cell above / below</source>
        <translation>Code-Zelle oberhalb / unterhalb einfügen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="722"/>
        <source>m / y</source>
        <translation>m / y</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="722"/>
        <source>Turn the cell into Markdown / code</source>
        <translation>Zelle in Markdown / Code umwandeln</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="723"/>
        <source>d d</source>
        <translation>d d</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="723"/>
        <source>Delete the cell</source>
        <translation>Zelle löschen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="724"/>
        <source>z</source>
        <translation>z</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="724"/>
        <source>Restore the last deleted cell</source>
        <translation>Zuletzt gelöschte Zelle wiederherstellen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="725"/>
        <source>Alt+Up / Alt+Down</source>
        <translation>Alt+↑ / Alt+↓</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="725"/>
        <source>Move the cell up / down</source>
        <translation>Zelle nach oben / unten verschieben</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="726"/>
        <source>Ctrl+Shift+-</source>
        <translation>Strg+Umschalt+-</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="726"/>
        <source>Split the cell at the cursor</source>
        <translation>Zelle am Cursor teilen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="727"/>
        <source>Ctrl+Z / Ctrl+Shift+Z</source>
        <translation>Strg+Z / Strg+Umschalt+Z</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="727"/>
        <source>Undo / redo any edit</source>
        <translation>Jede Bearbeitung rückgängig machen / wiederherstellen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="728"/>
        <source>Ctrl+F</source>
        <translation>Strg+F</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="728"/>
        <source>Find and replace in the notebook</source>
        <translation>Im Notizbuch suchen und ersetzen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="749"/>
        <source>About Kiln</source>
        <translation>Über Kiln</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="750"/>
        <source>&lt;h3&gt;Kiln %1&lt;/h3&gt;&lt;p&gt;A local machine-learning workbench: notebooks of Lua cells on libtorch.&lt;/p&gt;&lt;pre&gt;%2&lt;/pre&gt;</source>
        <translation>&lt;h3&gt;Kiln %1&lt;/h3&gt;&lt;p&gt;Eine lokale Werkbank für maschinelles Lernen: Notizbücher aus Lua-Zellen auf Basis von libtorch.&lt;/p&gt;&lt;pre&gt;%2&lt;/pre&gt;</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="604"/>
        <location filename="../ui/mainwindow.cpp" line="610"/>
        <source>Runtime: busy</source>
        <translation>Laufzeit: beschäftigt</translation>
    </message>
</context>
<context>
    <name>kiln::ModelBrowser</name>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="64"/>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="66"/>
        <source>%1 KB</source>
        <translation>%L1 KB</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="67"/>
        <source>%1 MB</source>
        <translation>%L1 MB</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="132"/>
        <source>Built-in architectures</source>
        <translation>Eingebaute Architekturen</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="138"/>
        <source>Notebook models</source>
        <translation>Modelle im Notizbuch</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="139"/>
        <source>Modules held by the notebook&apos;s globals, as of its last run</source>
        <translation>Module in den globalen Variablen des Notizbuchs, Stand des letzten Laufs</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="140"/>
        <source>Model library</source>
        <translation>Modellbibliothek</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="142"/>
        <source>Hugging Face Hub</source>
        <translation>Hugging Face Hub</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="156"/>
        <location filename="../ui/modelbrowser.cpp" line="439"/>
        <source>Pick an architecture to set it up, or drop model files here to add them to the library.</source>
        <translation>Wählen Sie eine Architektur, um sie einzurichten, oder ziehen Sie Modelldateien hierher, um sie der Bibliothek hinzuzufügen.</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="172"/>
        <source>Insert code</source>
        <translation>Code einfügen</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="174"/>
        <source>Adds a code cell that builds this model below the current cell</source>
        <translation>Fügt unter der aktuellen Zelle eine Codezelle ein, die dieses Modell baut</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="175"/>
        <source>Train…</source>
        <translation>Trainieren…</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="177"/>
        <source>Hands this architecture to the training panel</source>
        <translation>Übergibt diese Architektur an das Trainingsfenster</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="182"/>
        <source>Send to inference</source>
        <translation>An Inferenz senden</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="188"/>
        <source>Copy summary</source>
        <translation>Zusammenfassung kopieren</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="191"/>
        <source>Add folder…</source>
        <translation>Ordner hinzufügen…</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="192"/>
        <source>List the model files of another folder here too</source>
        <translation>Die Modelldateien eines weiteren Ordners ebenfalls hier anzeigen</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="194"/>
        <source>Add a folder of models</source>
        <translation>Modellordner hinzufügen</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="207"/>
        <source>input shape, e.g. 1,1,28,28; several inputs: 1,4;1,4</source>
        <translation>Eingabeform, z. B. 1,1,28,28; mehrere Eingaben: 1,4;1,4</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="208"/>
        <source>One shape per input of forward, separated by &apos;;&apos;; the inputs are zeros</source>
        <translation>Eine Form je Eingabe von forward, getrennt durch &apos;;&apos;; die Eingaben sind Nullen</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="209"/>
        <source>Try forward</source>
        <translation>Forward ausprobieren</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="251"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="302"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/modelbrowser.cpp" line="380"/>
        <source>%n parameters</source>
        <translation>
            <numerusform>%n Parameter</numerusform>
            <numerusform>%n Parameter</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="408"/>
        <source>%1, a %2 in the notebook, %3 parameters</source>
        <translation>%1, ein %2 im Notizbuch, %3 Parameter</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="433"/>
        <source>%1
%2, modified %3</source>
        <translation>%1
%2, geändert %3</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="436"/>
        <source>Reading the model…</source>
        <translation>Modell wird gelesen…</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="455"/>
        <source>%1 — %2
Input: %3</source>
        <translation>%1 — %2
Eingabe: %3</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="527"/>
        <source>Kiln could not read this file.</source>
        <translation>Kiln konnte diese Datei nicht lesen.</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="549"/>
        <source>Format: %1</source>
        <translation>Format: %1</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="552"/>
        <source>Producer: %1</source>
        <translation>Erzeugt von: %1</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="553"/>
        <source>Parameters: %1 (%2)</source>
        <translation>Parameter: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="558"/>
        <source>Forward: %1</source>
        <translation>Forward: %1</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="561"/>
        <source>Methods:</source>
        <translation>Methoden:</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="568"/>
        <source>Modules:</source>
        <translation>Module:</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="575"/>
        <source>Parameters and buffers:</source>
        <translation>Parameter und Puffer:</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="584"/>
        <source>  (buffer)</source>
        <translation>  (Puffer)</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="606"/>
        <source>Give the input shapes, e.g. 1,1,28,28</source>
        <translation>Geben Sie die Eingabeformen an, z. B. 1,1,28,28</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="621"/>
        <source>Try forward takes up to 16 million input numbers; use a smaller batch</source>
        <translation>„Forward ausprobieren“ nimmt bis zu 16 Millionen Eingabewerte; verwenden Sie einen kleineren Batch</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="645"/>
        <location filename="../ui/modelbrowser.cpp" line="711"/>
        <source>Forward failed: %1</source>
        <translation>Forward fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="649"/>
        <source>Output %1</source>
        <translation>Ausgabe %1</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="657"/>
        <source>Running forward…</source>
        <translation>Forward läuft…</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="707"/>
        <source>Inputs forward takes: %1; shapes given: %2. Give one shape per input, separated by &apos;;&apos;</source>
        <translation>forward nimmt %1 Eingaben; angegebene Formen: %2. Eine Form je Eingabe angeben, getrennt durch &apos;;&apos;</translation>
    </message>
</context>
<context>
    <name>kiln::ModelVetting</name>
    <message>
        <location filename="../core/kernel/modelvetting.cpp" line="115"/>
        <source>Kiln could not read %1 (its reader stopped with status %2)</source>
        <translation>Kiln konnte %1 nicht lesen (das Leseprogramm endete mit Status %2)</translation>
    </message>
    <message>
        <location filename="../core/kernel/modelvetting.cpp" line="124"/>
        <source>Kiln could not start its model reader %1</source>
        <translation>Kiln konnte sein Leseprogramm für Modelle nicht starten: %1</translation>
    </message>
</context>
<context>
    <name>kiln::Notebook</name>
    <message>
        <location filename="../core/document/notebook.cpp" line="17"/>
        <source>Change title</source>
        <translation>Titel ändern</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="31"/>
        <source>Insert cell</source>
        <translation>Zelle einfügen</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="46"/>
        <source>Delete cell</source>
        <translation>Zelle löschen</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="61"/>
        <source>Move cell</source>
        <translation>Zelle verschieben</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="75"/>
        <source>Edit cell</source>
        <translation>Zelle bearbeiten</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="109"/>
        <source>Change cell type</source>
        <translation>Zellentyp ändern</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="125"/>
        <source>Change cell options</source>
        <translation>Zellenoptionen ändern</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="141"/>
        <source>Change notebook settings</source>
        <translation>Notizbucheinstellungen ändern</translation>
    </message>
</context>
<context>
    <name>kiln::NotebookView</name>
    <message>
        <location filename="../ui/notebookview.cpp" line="34"/>
        <source>Untitled notebook</source>
        <translation>Unbenanntes Notizbuch</translation>
    </message>
    <message>
        <location filename="../ui/notebookview.cpp" line="35"/>
        <source>The notebook&apos;s title: click to edit</source>
        <translation>Der Titel des Notizbuchs: zum Bearbeiten klicken</translation>
    </message>
</context>
<context>
    <name>kiln::OutputView</name>
    <message>
        <location filename="../ui/outputview.cpp" line="61"/>
        <source>tensor · shape [%1] · %2</source>
        <translation>Tensor · Form [%1] · %2</translation>
    </message>
    <message>
        <location filename="../ui/outputview.cpp" line="64"/>
        <source> · requires grad</source>
        <translation> · benötigt Gradienten</translation>
    </message>
</context>
<context>
    <name>kiln::PlotView</name>
    <message>
        <location filename="../ui/plotview.cpp" line="509"/>
        <source>Smoothing</source>
        <translation>Glättung</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="513"/>
        <source>Exponential moving average weight, as in TensorBoard</source>
        <translation>Gewicht des exponentiellen gleitenden Mittelwerts, wie in TensorBoard</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="519"/>
        <source>Log y</source>
        <translation>y logarithmisch</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="522"/>
        <location filename="../ui/plotview.cpp" line="855"/>
        <source>Reset view</source>
        <translation>Ansicht zurücksetzen</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="523"/>
        <source>Fit the axes to the data again (or double-click the plot)</source>
        <translation>Achsen wieder an die Daten anpassen (oder auf das Diagramm doppelklicken)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="836"/>
        <location filename="../ui/plotview.cpp" line="851"/>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="840"/>
        <source>Export PNG...</source>
        <translation>Als PNG exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="841"/>
        <source>Export PNG</source>
        <translation>Als PNG exportieren</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="841"/>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="843"/>
        <source>Export PDF...</source>
        <translation>Als PDF exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="844"/>
        <source>Export PDF</source>
        <translation>Als PDF exportieren</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="844"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-Dokumente (*.pdf)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="846"/>
        <source>Export data as CSV...</source>
        <translation>Daten als CSV exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="847"/>
        <source>Export data as CSV</source>
        <translation>Daten als CSV exportieren</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="849"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="853"/>
        <source>Copy image</source>
        <translation>Bild kopieren</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="884"/>
        <source>%1 (raw %2)</source>
        <translation>%1 (roh %2)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="886"/>
        <location filename="../ui/plotview.cpp" line="893"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="893"/>
        <source>x</source>
        <translation>x</translation>
    </message>
</context>
<context>
    <name>kiln::PreferencesDialog</name>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="25"/>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="28"/>
        <source>Notebook runtime</source>
        <translation>Laufzeit des Notizbuchs</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="33"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="34"/>
        <source>No limit</source>
        <translation>Keine Grenze</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="36"/>
        <source>The runtime is ended, and the running cell told why, when its memory passes this</source>
        <translation>Überschreitet die Laufzeit diesen Speicher, wird sie beendet und die laufende Zelle nennt den Grund</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="37"/>
        <source>Memory limit:</source>
        <translation>Speichergrenze:</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="41"/>
        <source>Folders notebook code may write to</source>
        <translation>Ordner, in die Notizbuch-Code schreiben darf</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="44"/>
        <source>Notebook code may read any file you can. It may write only to the notebook&apos;s folder, Kiln&apos;s data and cache folders, the Hugging Face cache, the temporary folder, and these folders:</source>
        <translation>Notizbuch-Code darf jede Datei lesen, die Sie lesen dürfen. Schreiben darf er nur in den Ordner des Notizbuchs, Kilns Daten- und Cache-Ordner, den Hugging-Face-Cache, den temporären Ordner und diese Ordner:</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="53"/>
        <source>Add Folder...</source>
        <translation>Ordner hinzufügen...</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="54"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="63"/>
        <source>The runtime has not started yet.</source>
        <translation>Die Laufzeit ist noch nicht gestartet.</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="70"/>
        <source>Changes take effect when the runtime next starts (Run &gt; Restart Runtime).</source>
        <translation>Änderungen gelten ab dem nächsten Start der Laufzeit (Ausführen &gt; Laufzeit neu starten).</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="102"/>
        <source>Let notebook code write to</source>
        <translation>Notizbuch-Code schreiben lassen in</translation>
    </message>
</context>
<context>
    <name>kiln::Runtime</name>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="233"/>
        <source>interrupted: the runtime was restarted</source>
        <translation>unterbrochen: die Laufzeit wurde neu gestartet</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="243"/>
        <source>stopped: the cell did not answer Interrupt, so its runtime was ended (Force Stop)</source>
        <translation>angehalten: die Zelle reagierte nicht auf „Unterbrechen“, daher wurde ihre Laufzeit beendet (Hart beenden)</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="269"/>
        <source>the runtime could not start: no local socket (%1)</source>
        <translation>die Laufzeit konnte nicht starten: kein lokaler Socket (%1)</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="294"/>
        <source>the runtime could not start: %1 (%2)</source>
        <translation>die Laufzeit konnte nicht starten: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="299"/>
        <source>the runtime did not start within %1 s</source>
        <translation>die Laufzeit ist nicht innerhalb von %1 s gestartet</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="332"/>
        <source>the runtime stopped: it sent a malformed message (%1)</source>
        <translation>die Laufzeit wurde beendet: sie sandte eine fehlerhafte Nachricht (%1)</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="344"/>
        <source>the runtime stopped: it did not introduce itself</source>
        <translation>die Laufzeit wurde beendet: sie hat sich nicht vorgestellt</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="348"/>
        <source>the runtime speaks protocol %1, this Kiln speaks %2; reinstall Kiln</source>
        <translation>die Laufzeit spricht Protokoll %1, dieses Kiln spricht %2; installieren Sie Kiln neu</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="373"/>
        <location filename="../core/kernel/runtime.cpp" line="388"/>
        <source>the runtime stopped: it sent %1</source>
        <translation>die Laufzeit wurde beendet: sie sandte %1</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="403"/>
        <source>the runtime stopped: %1</source>
        <translation>die Laufzeit wurde beendet: %1</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="405"/>
        <source>the runtime stopped: it exited with status %1</source>
        <translation>die Laufzeit wurde beendet: sie endete mit Status %1</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="407"/>
        <source>; it held %1 at the last look</source>
        <translation>; zuletzt belegte sie %1</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="549"/>
        <source>the runtime stopped: out of memory (it used %1, over the limit of %2 set in Preferences)</source>
        <translation>die Laufzeit wurde beendet: kein Speicher mehr (sie belegte %1, mehr als die in den Einstellungen gesetzte Grenze von %2)</translation>
    </message>
</context>
<context>
    <name>kiln::SandboxStatus</name>
    <message>
        <location filename="../core/kernel/sandbox.cpp" line="92"/>
        <source>Sandbox: writes limited to the notebook&apos;s folder, Kiln&apos;s folders, the Hub cache, the temp folder and the folders granted in Preferences (Landlock ABI %1, seccomp)</source>
        <translation>Sandbox: Schreiben nur in den Ordner des Notizbuchs, Kilns Ordner, den Hub-Cache, den temporären Ordner und die in den Einstellungen freigegebenen Ordner (Landlock ABI %1, seccomp)</translation>
    </message>
    <message>
        <location filename="../core/kernel/sandbox.cpp" line="97"/>
        <source>Sandbox: writes limited to the notebook&apos;s folder, Kiln&apos;s folders, the Hub cache, the temp folder and the folders granted in Preferences (Landlock ABI %1; no seccomp: %2)</source>
        <translation>Sandbox: Schreiben nur in den Ordner des Notizbuchs, Kilns Ordner, den Hub-Cache, den temporären Ordner und die in den Einstellungen freigegebenen Ordner (Landlock ABI %1; kein seccomp: %2)</translation>
    </message>
    <message>
        <location filename="../core/kernel/sandbox.cpp" line="107"/>
        <source>No sandbox: %1; notebook code can write wherever you can</source>
        <translation>Keine Sandbox: %1; Notizbuch-Code kann überall schreiben, wo Sie schreiben können</translation>
    </message>
    <message>
        <location filename="../core/kernel/sandbox.cpp" line="111"/>
        <source> (seccomp still refuses running programs)</source>
        <translation> (seccomp verhindert weiterhin das Starten von Programmen)</translation>
    </message>
</context>
<context>
    <name>kiln::TableOutputView</name>
    <message numerus="yes">
        <location filename="../ui/tableoutputview.cpp" line="72"/>
        <source>first %1 of %n rows</source>
        <translation>
            <numerusform>erste %1 von %n Zeile</numerusform>
            <numerusform>erste %1 von %n Zeilen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="73"/>
        <source>1 row</source>
        <translation>1 Zeile</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/tableoutputview.cpp" line="74"/>
        <source>%n rows</source>
        <translation>
            <numerusform>%n Zeile</numerusform>
            <numerusform>%n Zeilen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="79"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="116"/>
        <location filename="../ui/tableoutputview.cpp" line="217"/>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="124"/>
        <source>Show each row&apos;s shares (recall per class)</source>
        <translation>Anteile je Zeile zeigen (Trefferquote je Klasse)</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="219"/>
        <source>Select &amp;All</source>
        <translation>&amp;Alles auswählen</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="221"/>
        <source>&amp;Export CSV…</source>
        <translation>Als CSV &amp;exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="230"/>
        <source>table</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="231"/>
        <location filename="../ui/tableoutputview.cpp" line="236"/>
        <source>Export Table as CSV</source>
        <translation>Tabelle als CSV exportieren</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="232"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="236"/>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
</context>
<context>
    <name>kiln::TaskCell</name>
    <message>
        <location filename="../core/document/taskcell.cpp" line="17"/>
        <source>Text embedding</source>
        <translation>Text-Embedding</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="22"/>
        <source>Text classification</source>
        <translation>Textklassifikation</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="26"/>
        <source>Named entities</source>
        <translation>Eigennamen</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="29"/>
        <source>Fill the mask</source>
        <translation>Lücke füllen</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="33"/>
        <source>Zero-shot classification</source>
        <translation>Zero-Shot-Klassifikation</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="36"/>
        <source>Text generation</source>
        <translation>Textgenerierung</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="39"/>
        <source>Image classification</source>
        <translation>Bildklassifikation</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="41"/>
        <source>Zero-shot image classification</source>
        <translation>Zero-Shot-Bildklassifikation</translation>
    </message>
</context>
<context>
    <name>kiln::TaskForm</name>
    <message>
        <location filename="../ui/taskform.cpp" line="47"/>
        <source>&amp;Task:</source>
        <translation>&amp;Aufgabe:</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="53"/>
        <source>A model on the Hugging Face Hub (ORG/NAME) or a folder with its files</source>
        <translation>Ein Modell im Hugging Face Hub (ORG/NAME) oder ein Ordner mit seinen Dateien</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="54"/>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="60"/>
        <source>&amp;Input:</source>
        <translation>&amp;Eingabe:</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="67"/>
        <source>an image file</source>
        <translation>eine Bilddatei</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="68"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="72"/>
        <source>Choose an Image</source>
        <translation>Bild wählen</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="73"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="77"/>
        <source>I&amp;mage:</source>
        <translation>&amp;Bild:</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="81"/>
        <source>The labels to choose from, separated by commas</source>
        <translation>Die Labels zur Auswahl, durch Kommas getrennt</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="82"/>
        <source>&amp;Labels:</source>
        <translation>&amp;Labels:</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="87"/>
        <source>Top &amp;k:</source>
        <translation>Top &amp;k:</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="92"/>
        <source>New &amp;tokens:</source>
        <translation>Neue &amp;Tokens:</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="93"/>
        <source>&amp;Sample (otherwise the likeliest token each time)</source>
        <translation>&amp;Zufällig ziehen (sonst jeweils das wahrscheinlichste Token)</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="100"/>
        <source>Tem&amp;perature:</source>
        <translation>Tem&amp;peratur:</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="104"/>
        <source>&amp;Device:</source>
        <translation>&amp;Gerät:</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="106"/>
        <source>Convert to &amp;Code Cell</source>
        <translation>In &amp;Codezelle umwandeln</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="108"/>
        <source>Keep the code and edit it by hand; the form goes away</source>
        <translation>Den Code behalten und von Hand bearbeiten; das Formular verschwindet</translation>
    </message>
</context>
<context>
    <name>kiln::TextOutputView</name>
    <message>
        <location filename="../ui/textoutputview.cpp" line="187"/>
        <source>[… 1 line dropped …]</source>
        <translation>[… 1 Zeile ausgelassen …]</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/textoutputview.cpp" line="188"/>
        <source>[… %n lines dropped …]</source>
        <translation>
            <numerusform>[… %n Zeile ausgelassen …]</numerusform>
            <numerusform>[… %n Zeilen ausgelassen …]</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/textoutputview.cpp" line="199"/>
        <source>Show the last %1 of %2 lines</source>
        <translation>Die letzten %1 von %2 Zeilen zeigen</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/textoutputview.cpp" line="200"/>
        <source>Show all (%n lines)</source>
        <translation>
            <numerusform>Alle anzeigen (%n Zeile)</numerusform>
            <numerusform>Alle anzeigen (%n Zeilen)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/textoutputview.cpp" line="197"/>
        <source>Show less</source>
        <translation>Weniger anzeigen</translation>
    </message>
</context>
<context>
    <name>kiln::TrainingPanel</name>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="124"/>
        <source>Fashion-MNIST</source>
        <translation>Fashion-MNIST</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="132"/>
        <source>Choose a CSV file</source>
        <translation>CSV-Datei wählen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="132"/>
        <source>CSV (*.csv *.tsv *.txt)</source>
        <translation>CSV (*.csv *.tsv *.txt)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="167"/>
        <source>Target column</source>
        <translation>Zielspalte</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="257"/>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="263"/>
        <location filename="../ui/trainingpanel.cpp" line="323"/>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="261"/>
        <location filename="../ui/trainingpanel.cpp" line="323"/>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="262"/>
        <source>Batch size</source>
        <translation>Batchgröße</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="171"/>
        <source>Validation split</source>
        <translation>Validierungsanteil</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="267"/>
        <location filename="../ui/trainingpanel.cpp" line="323"/>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="243"/>
        <source>Constant</source>
        <translation>Konstant</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="116"/>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="122"/>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="123"/>
        <source>Image folder…</source>
        <translation>Bildordner…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="125"/>
        <source>A table with one row per sample and a column to predict</source>
        <translation>Eine Tabelle mit einer Zeile pro Beispiel und einer Spalte, die vorhergesagt wird</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="126"/>
        <source>A folder with one subfolder of images per class</source>
        <translation>Ein Ordner mit einem Unterordner voller Bilder pro Klasse</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="137"/>
        <source>Choose a folder of class subfolders</source>
        <translation>Ordner mit Klassen-Unterordnern wählen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="150"/>
        <source>Detect from the target</source>
        <translation>Aus der Zielspalte erkennen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="151"/>
        <source>Classification</source>
        <translation>Klassifikation</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="152"/>
        <source>Regression</source>
        <translation>Regression</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="156"/>
        <source>Standardize features</source>
        <translation>Standardisieren</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="166"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="168"/>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="169"/>
        <source>Features</source>
        <translation>Merkmale</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="172"/>
        <source>Image size</source>
        <translation>Bildgröße</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="191"/>
        <source>Model and settings</source>
        <translation>Modell und Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="200"/>
        <source>Choose a TorchScript model</source>
        <translation>TorchScript-Modell wählen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="200"/>
        <source>TorchScript (*.pt *.pth)</source>
        <translation>TorchScript (*.pt *.pth)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="218"/>
        <source>From the task</source>
        <translation>Passend zur Aufgabe</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="219"/>
        <source>Cross entropy</source>
        <translation>Kreuzentropie</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="220"/>
        <source>Cross entropy, label smoothing 0.1</source>
        <translation>Kreuzentropie, Label Smoothing 0,1</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="221"/>
        <source>Mean squared error</source>
        <translation>Mittlerer quadratischer Fehler</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="222"/>
        <source>Mean absolute error (L1)</source>
        <translation>Mittlerer absoluter Fehler (L1)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="223"/>
        <source>Huber</source>
        <translation>Huber</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="244"/>
        <source>Cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="251"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="259"/>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Loss</source>
        <translation>Verlustfunktion</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="260"/>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="265"/>
        <source>Weight decay</source>
        <translation>Weight Decay</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="264"/>
        <source>Schedule</source>
        <translation>Lernratenplan</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="266"/>
        <source>Early stopping (epochs)</source>
        <translation>Früh stoppen (Epochen)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="279"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="281"/>
        <location filename="../ui/trainingpanelruns.cpp" line="194"/>
        <location filename="../ui/trainingpanelruns.cpp" line="210"/>
        <location filename="../ui/trainingpanelruns.cpp" line="344"/>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="283"/>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="352"/>
        <source>Save model…</source>
        <translation>Modell speichern…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="353"/>
        <source>Send to inference</source>
        <translation>An Inferenz senden</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="356"/>
        <source>Copy as notebook code</source>
        <translation>Als Notizbuchcode kopieren</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="371"/>
        <source>Save the model</source>
        <translation>Modell speichern</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="372"/>
        <source>TorchScript (*.pt)</source>
        <translation>TorchScript (*.pt)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="380"/>
        <location filename="../ui/trainingpanel.cpp" line="395"/>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="393"/>
        <source>Export runs</source>
        <translation>Läufe exportieren</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="393"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="202"/>
        <source>Model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="203"/>
        <source>%1 does not fit this dataset; the panel trains %2</source>
        <translation>%1 passt nicht zu diesen Daten; trainiert wird %2</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="87"/>
        <location filename="../ui/trainingpanelruns.cpp" line="152"/>
        <source>Reading the data…</source>
        <translation>Daten werden gelesen…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="309"/>
        <location filename="../ui/trainingpanelruns.cpp" line="310"/>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="308"/>
        <source>Training loss per step</source>
        <translation>Trainingsverlust pro Schritt</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="212"/>
        <source>A notebook or TorchScript model gets the features as they are</source>
        <translation>Ein Modell aus dem Notizbuch oder ein TorchScript-Modell erhält die Merkmale unverändert</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="258"/>
        <location filename="../ui/trainingpanel.cpp" line="324"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="284"/>
        <source>Ends the run and keeps the best epoch so far</source>
        <translation>Beendet den Lauf und behält die bisher beste Epoche</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="311"/>
        <source>Loss per step</source>
        <translation>Verlust pro Schritt</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="312"/>
        <source>Loss per epoch</source>
        <translation>Verlust pro Epoche</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="313"/>
        <source>Metrics per epoch</source>
        <translation>Metriken pro Epoche</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="314"/>
        <source>Confusion matrix</source>
        <translation>Konfusionsmatrix</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="323"/>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="323"/>
        <source>Best epoch</source>
        <translation>Beste Epoche</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="324"/>
        <source>Best metric</source>
        <translation>Beste Metrik</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="324"/>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="324"/>
        <source>Started</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="324"/>
        <source>Versions</source>
        <translation>Versionen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="330"/>
        <source>Tick a run to draw its curves beside the current one</source>
        <translation>Haken Sie einen Lauf an, um seine Kurven neben denen des aktuellen zu zeichnen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="354"/>
        <source>Export run…</source>
        <translation>Lauf exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="355"/>
        <source>Export all runs…</source>
        <translation>Alle Läufe exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="382"/>
        <source>Saved %1 and %2</source>
        <translation>%1 und %2 gespeichert</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="67"/>
        <source>Drop a CSV file or a folder of class subfolders here, or train on Fashion-MNIST.</source>
        <translation>Ziehen Sie eine CSV-Datei oder einen Ordner mit Klassen-Unterordnern hierher, oder trainieren Sie mit Fashion-MNIST.</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="70"/>
        <source>Fashion-MNIST: 60,000 training images of 10 classes; the 10,000 test images validate.</source>
        <translation>Fashion-MNIST: 60.000 Trainingsbilder in 10 Klassen; die 10.000 Testbilder dienen der Validierung.</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="75"/>
        <source>Images in %1, one subfolder per class</source>
        <translation>Bilder in %1, ein Unterordner pro Klasse</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="125"/>
        <source>%1 (text)</source>
        <translation>%1 (Text)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/trainingpaneldata.cpp" line="141"/>
        <source>%n rows</source>
        <translation>
            <numerusform>%n Zeile</numerusform>
            <numerusform>%n Zeilen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/trainingpaneldata.cpp" line="142"/>
        <source>%n columns</source>
        <translation>
            <numerusform>%n Spalte</numerusform>
            <numerusform>%n Spalten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/trainingpaneldata.cpp" line="143"/>
        <source>%n images</source>
        <translation>
            <numerusform>%n Bild</numerusform>
            <numerusform>%n Bilder</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="145"/>
        <source>classification</source>
        <translation>Klassifikation</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="145"/>
        <source>regression</source>
        <translation>Regression</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/trainingpaneldata.cpp" line="163"/>
        <source>… and %n more classes</source>
        <translation>
            <numerusform>… und %n weitere Klasse</numerusform>
            <numerusform>… und %n weitere Klassen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="187"/>
        <source>%1 (notebook)</source>
        <translation>%1 (Notizbuch)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="188"/>
        <source>TorchScript file…</source>
        <translation>TorchScript-Datei…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="217"/>
        <source>Not loaded: %1</source>
        <translation>Nicht geladen: %1</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="220"/>
        <source>Reading %1 in a separate process first...</source>
        <translation>%1 wird zuerst in einem eigenen Prozess gelesen...</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="227"/>
        <source>Training the parameters of %1</source>
        <translation>Trainiert werden die Parameter von %1</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="97"/>
        <source>Starting once the data is read…</source>
        <translation>Startet, sobald die Daten gelesen sind…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="104"/>
        <source>Tracing %1 from the notebook…</source>
        <translation>%1 wird aus dem Notizbuch aufgezeichnet…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="110"/>
        <source>Choose a TorchScript file to train.</source>
        <translation>Wählen Sie eine TorchScript-Datei zum Trainieren.</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="123"/>
        <source>Cannot use the notebook&apos;s %1: %2</source>
        <translation>%1 aus dem Notizbuch kann nicht verwendet werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="151"/>
        <source>reading the data</source>
        <translation>Daten werden gelesen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="183"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="184"/>
        <source>Paused at step %1; Resume goes on exactly where it stopped.</source>
        <translation>Bei Schritt %1 pausiert; „Fortsetzen“ macht genau dort weiter, wo angehalten wurde.</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="185"/>
        <source>paused · %p%</source>
        <translation>pausiert · %p %</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="195"/>
        <source>Resumed at step %1</source>
        <translation>Bei Schritt %1 fortgesetzt</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="225"/>
        <source>%p%</source>
        <translation>%p %</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="226"/>
        <source>Training %1 on %2 samples (%3 for validation)</source>
        <translation>%1 wird mit %2 Beispielen trainiert (%3 zur Validierung)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="266"/>
        <source>%p% · %1 samples/s · %2 left</source>
        <translation>%p % · %1 Beispiele/s · noch %2</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="308"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="309"/>
        <source>Training and validation loss</source>
        <translation>Trainings- und Validierungsverlust</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="310"/>
        <source>Accuracy (classification), MAE and R² (regression)</source>
        <translation>Genauigkeit (Klassifikation), MAE und R² (Regression)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="347"/>
        <source>done in %1</source>
        <translation>fertig in %1</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="347"/>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="370"/>
        <source>%1: best epoch %2 (%3)</source>
        <translation>%1: beste Epoche %2 (%3)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="371"/>
        <source>Stopped; kept the best epoch so far. %1</source>
        <translation>Gestoppt; die bisher beste Epoche wurde behalten. %1</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="482"/>
        <source>At least %1 rows are needed to train and validate</source>
        <translation>Zum Trainieren und Validieren sind mindestens %1 Zeilen nötig</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="246"/>
        <source>epoch %1 of %2: %3</source>
        <translation>Epoche %1 von %2: %3</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="328"/>
        <source>Confusion matrix (rows: true class, columns: predicted)</source>
        <translation>Konfusionsmatrix (Zeilen: wahre Klasse, Spalten: vorhergesagt)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="141"/>
        <source>run %1</source>
        <translation>Lauf %1</translation>
    </message>
</context>
<context>
    <name>kiln::VariablesView</name>
    <message>
        <location filename="../ui/variablesview.cpp" line="68"/>
        <source>Filter by name or type</source>
        <translation>Nach Name oder Typ filtern</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Dtype</source>
        <translation>Dtype</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="104"/>
        <source>Grid</source>
        <translation>Raster</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="105"/>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="106"/>
        <source>Histogram</source>
        <translation>Histogramm</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="283"/>
        <source>Select a variable to see it here.</source>
        <translation>Wählen Sie eine Variable, um sie hier zu sehen.</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="312"/>
        <source>The notebook&apos;s globals appear here after a cell runs. Locals and names starting with &quot;_&quot; are not listed.</source>
        <translation>Die globalen Variablen des Notizbuchs erscheinen hier, sobald eine Zelle gelaufen ist. Lokale Variablen und Namen, die mit &quot;_&quot; beginnen, werden nicht aufgeführt.</translation>
    </message>
</context>
<context>
    <name>kiln::WelcomePage</name>
    <message>
        <location filename="../ui/welcomepage.cpp" line="42"/>
        <source>A tour of Kiln</source>
        <translation>Ein Rundgang durch Kiln</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="43"/>
        <source>Tensors, a live plot and a short training run, cell by cell</source>
        <translation>Tensoren, ein Live-Diagramm und ein kurzes Training, Zelle für Zelle</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="44"/>
        <source>Fashion-MNIST with a multilayer perceptron</source>
        <translation>Fashion-MNIST mit einem mehrschichtigen Perzeptron</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="45"/>
        <source>Load the dataset, train a small network, plot its loss and accuracy</source>
        <translation>Den Datensatz laden, ein kleines Netz trainieren, Verlust und Genauigkeit zeichnen</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="46"/>
        <source>Fashion-MNIST with a convolutional network</source>
        <translation>Fashion-MNIST mit einem Faltungsnetz</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="47"/>
        <source>A CNN on the same images, saved for the inference panel</source>
        <translation>Ein CNN auf denselben Bildern, gespeichert für das Inferenz-Panel</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="48"/>
        <source>Semantic search with a pretrained model</source>
        <translation>Semantische Suche mit einem vortrainierten Modell</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="49"/>
        <source>all-MiniLM-L6-v2 from the Hugging Face Hub: sentences to vectors, then search by meaning</source>
        <translation>all-MiniLM-L6-v2 vom Hugging Face Hub: Sätze zu Vektoren, dann Suche nach Bedeutung</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="70"/>
        <source>Welcome to Kiln</source>
        <translation>Willkommen bei Kiln</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="71"/>
        <source>Notebooks of Markdown and Lua cells that run PyTorch&apos;s engine on this computer, and panels to inspect, train and run models without code.</source>
        <translation>Notizbücher aus Markdown- und Lua-Zellen, die PyTorchs Engine auf diesem Rechner ausführen, und Panels, um Modelle ohne Code zu untersuchen, zu trainieren und anzuwenden.</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="78"/>
        <source>Start</source>
        <translation>Beginnen</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="79"/>
        <source>New notebook</source>
        <translation>Neues Notizbuch</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="79"/>
        <source>An empty notebook with one code cell</source>
        <translation>Ein leeres Notizbuch mit einer Codezelle</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="83"/>
        <source>Open…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="83"/>
        <source>A .kiln.md notebook from disk</source>
        <translation>Ein .kiln.md-Notizbuch von der Festplatte</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="88"/>
        <source>Examples</source>
        <translation>Beispiele</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="97"/>
        <source>Recent</source>
        <translation>Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="104"/>
        <source>Panels</source>
        <translation>Panels</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="106"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="107"/>
        <source>Find and inspect model files: TorchScript, .pt2, safetensors, state dicts (View &gt; Models)</source>
        <translation>Modelldateien finden und untersuchen: TorchScript, .pt2, safetensors, State-Dicts (Ansicht &gt; Modelle)</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="108"/>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="109"/>
        <source>Train a model on a CSV, an image folder or Fashion-MNIST, with live loss curves (View &gt; Training)</source>
        <translation>Ein Modell auf einer CSV-Datei, einem Bildordner oder Fashion-MNIST trainieren, mit Live-Verlustkurven (Ansicht &gt; Training)</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="110"/>
        <source>Inference</source>
        <translation>Inferenz</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="111"/>
        <source>Run a model over images, CSV rows or tensors and export the predictions (View &gt; Inference)</source>
        <translation>Ein Modell auf Bilder, CSV-Zeilen oder Tensoren anwenden und die Vorhersagen exportieren (Ansicht &gt; Inferenz)</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="112"/>
        <source>Variables</source>
        <translation>Variablen</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="113"/>
        <source>The notebook&apos;s tensors, models and values: shapes, memory, and tensors as grids, images or histograms (View &gt; Variables)</source>
        <translation>Die Tensoren, Modelle und Werte des Notizbuchs: Formen, Speicher und Tensoren als Raster, Bild oder Histogramm (Ansicht &gt; Variablen)</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="133"/>
        <source>Notebooks you open appear here.</source>
        <translation>Geöffnete Notizbücher erscheinen hier.</translation>
    </message>
</context>
</TS>
